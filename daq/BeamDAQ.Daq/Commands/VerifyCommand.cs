using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using BeamDAQ.Daq.Replay;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Daq.Commands;

/// <summary>
/// <c>beamdaq-daq verify FILE [--json]</c>: records per topic, the trigger numbers (1…N without a gap, or the gaps
/// listed), the device outages and end reason from <c>run.end</c>, and the file's end state with its offset.
/// Exit code 0 for a complete, undamaged run; 1 for a damaged or incomplete one; 2 when FILE cannot be read.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CommandContext context)
    {
        var file = new Argument<string>("FILE") { Description = "A run file (.bdq)" };
        var json = new Option<bool>("--json") { Description = "One JSON object on stdout instead of the human summary" };
        var command = new Command("verify", "Check a run file: records per topic, trigger numbers, end state; exit 1 when damaged or incomplete");
        command.Add(file);
        command.Add(json);
        command.SetAction(parse => context.Execute(() =>
        {
            string path = parse.GetValue(file)!;
            if (Directory.Exists(path)) throw new UsageException($"'{path}' is a directory; verify takes a run file (.bdq)");
            if (!File.Exists(path)) throw new UsageException($"run file '{path}' not found");
            VerifyReport report;
            try
            {
                report = RunFileVerifier.Verify(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read '{path}': {e.Message}");
            }
            if (parse.GetValue(json)) WriteJson(context.Out, report);
            else WriteHuman(context.Out, report);
            return report.Ok ? ExitCodes.Success : ExitCodes.RuntimeFailure;
        }));
        return command;
    }

    private static void WriteHuman(TextWriter o, VerifyReport r)
    {
        var s = r.Scan;
        o.WriteLine($"{s.File}: {(r.Ok ? "OK" : "PROBLEMS")}");
        o.WriteLine($"  run        {s.Run?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}");
        o.WriteLine($"  size       {s.Length} bytes, {s.Records} whole records, readable to offset {s.ReadableBytes}");
        o.WriteLine($"  records    {string.Join(", ", s.RecordsByTopic.Select(t => $"{t.Key} {t.Value}"))}");
        o.WriteLine(r.Events == 0
            ? "  triggers   none"
            : $"  triggers   {s.FirstTrigger}…{s.LastTrigger}, {(r.TriggerGapCount == 0 ? "no gap" : $"{r.MissingTriggers} missing in {r.TriggerGapCount} gap(s)")}");
        foreach (var g in r.TriggerGaps)
            o.WriteLine($"    missing {g.After + 1}…{g.Before - 1} ({g.Missing}) before offset {g.Offset}");
        if (r.RunEnd is { } end)
        {
            o.WriteLine($"  run.end    reason '{end.Reason}', {end.Events} events, {end.Missed} missed trigger(s)");
            foreach (var gap in r.DeviceGaps)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    device outage {gap.GetValueOrDefault("duration_s") switch { double d => $"{d:0.###} s", _ => "open-ended" }}, {gap.GetValueOrDefault("missed")} trigger(s) missed ({gap.GetValueOrDefault("missed_source")}): {gap.GetValueOrDefault("cause")}"));
        }
        o.WriteLine($"  end state  {s.EndState} at offset {s.EndOffset}: {s.EndDescription}");
        foreach (var p in r.Problems) o.WriteLine($"  problem    {p}");
    }

    private static void WriteJson(TextWriter output, VerifyReport r)
    {
        var s = r.Scan;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("file", s.File);
            w.WriteBoolean("ok", r.Ok);
            if (s.Run is { } run) w.WriteNumber("run", run); else w.WriteNull("run");
            w.WriteNumber("length", s.Length);
            w.WriteNumber("records", s.Records);
            w.WriteStartObject("records_by_topic");
            foreach (var (topic, count) in s.RecordsByTopic) w.WriteNumber(topic, count);
            w.WriteEndObject();
            w.WriteNumber("events", r.Events);
            if (s.FirstTrigger is { } first) w.WriteNumber("first_trigger", first); else w.WriteNull("first_trigger");
            if (s.LastTrigger is { } last) w.WriteNumber("last_trigger", last); else w.WriteNull("last_trigger");
            w.WriteNumber("trigger_gap_count", r.TriggerGapCount);
            w.WriteNumber("missing_triggers", r.MissingTriggers);
            w.WriteStartArray("trigger_gaps");
            foreach (var g in r.TriggerGaps)
            {
                w.WriteStartObject();
                w.WriteNumber("after", g.After);
                w.WriteNumber("before", g.Before);
                w.WriteNumber("missing", g.Missing);
                w.WriteNumber("offset", g.Offset);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteBoolean("starts_with_run_begin", s.StartsWithRunBegin);
            w.WriteBoolean("ends_with_run_end", s.EndsWithRunEnd);
            if (r.RunEnd is { } end)
            {
                w.WriteStartObject("run_end");
                w.WriteString("reason", end.Reason);
                w.WriteNumber("events", end.Events);
                w.WriteNumber("missed", end.Missed);
                w.WriteStartArray("device_gaps");
                foreach (var gap in r.DeviceGaps)
                {
                    w.WriteStartObject();
                    foreach (var (key, value) in gap)
                    {
                        switch (value)
                        {
                            case null: w.WriteNull(key); break;
                            case double d: w.WriteNumber(key, d); break;
                            case long l: w.WriteNumber(key, l); break;
                            case ulong u: w.WriteNumber(key, u); break;
                            default: w.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                        }
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            else w.WriteNull("run_end");
            w.WriteString("end_state", s.EndState.ToString());
            w.WriteNumber("end_offset", s.EndOffset);
            w.WriteString("end_description", s.EndDescription);
            w.WriteNumber("readable_bytes", s.ReadableBytes);
            w.WriteStartArray("problems");
            foreach (var p in r.Problems) w.WriteStringValue(p);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
