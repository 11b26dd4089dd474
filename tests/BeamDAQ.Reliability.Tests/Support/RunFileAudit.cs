using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>
/// Everything a test needs to know about a run file, checked record by record: every record whole and CRC-valid,
/// every payload decodable as its topic, trigger numbers 1, 2, 3, … without a repeat or a hole, event times
/// increasing, and the run.begin / run.end bracket. <see cref="Problems"/> lists every violation.
/// </summary>
public sealed class RunFileAudit
{
    public required string Path { get; init; }
    public required RunFileEndState EndState { get; init; }
    public required string EndDescription { get; init; }
    public required long Records { get; init; }
    public required long ReadableBytes { get; init; }
    public required long Length { get; init; }
    public required IReadOnlyList<long> EventTimesNs { get; init; }
    public required IReadOnlyList<ulong> Triggers { get; init; }
    /// <summary>Per event: the highest sample of the first channel above its pre-trigger baseline, in volts.</summary>
    public required IReadOnlyList<double> EventPeakVolts { get; init; }
    public required IReadOnlyList<AlarmMessage> Alarms { get; init; }
    public RunBeginMessage? RunBegin { get; init; }
    public RunEndMessage? RunEnd { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }
    public required IReadOnlyDictionary<string, long> RecordsByTopic { get; init; }

    public long Events => Triggers.Count;

    /// <summary>Records run.end says the full disk kept out of the file (0 when it never filled).</summary>
    public long RecordsLost => RunEnd?.Extras.GetValueOrDefault("records_lost") is { } lost ? Convert.ToInt64(lost) : 0;

    /// <summary>Device outages listed in run.end (<c>gaps</c>), each a map.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Gaps =>
        RunEnd?.Extras.GetValueOrDefault("gaps") is List<object?> gaps
            ? gaps.OfType<IReadOnlyDictionary<string, object?>>().ToList()
            : [];

    /// <summary>Complete: read to a clean end, run.begin first, run.end last, and no problem in between.</summary>
    public bool IsComplete => EndState == RunFileEndState.CleanEnd && RunBegin is not null && RunEnd is not null && Problems.Count == 0;

    public override string ToString() =>
        $"{Path}: {Records} records, {Events} events, {EndState} ({EndDescription}); run.end: {(RunEnd is null ? "none" : $"{RunEnd.Events} events, {RunEnd.Missed} missed, '{RunEnd.Reason}'")}" +
        (Problems.Count == 0 ? "" : $"; problems: {string.Join("; ", Problems.Take(5))}");

    public static RunFileAudit Of(string path)
    {
        var problems = new List<string>();
        var times = new List<long>();
        var triggers = new List<ulong>();
        var peaks = new List<double>();
        var alarms = new List<AlarmMessage>();
        var byTopic = new Dictionary<string, long>();
        RunBeginMessage? begin = null;
        RunEndMessage? end = null;
        using var reader = RunFileReader.Open(path);
        while (reader.TryRead(out var record))
        {
            byTopic[record.Topic] = byTopic.GetValueOrDefault(record.Topic) + 1;
            if (end is not null) problems.Add($"{record} after run.end");
            try
            {
                switch (record.Topic)
                {
                    case Topics.Event:
                        var e = EventCodec.Decode(record.Payload);
                        if (e.Trigger != (ulong)triggers.Count + 1) problems.Add($"{record}: trg {e.Trigger} after {triggers.Count}");
                        if (times.Count > 0 && e.TimeNs <= times[^1]) problems.Add($"{record}: t_ns {e.TimeNs} not after {times[^1]}");
                        foreach (var channel in e.Channels)
                            if (channel.SampleCount == 0) problems.Add($"{record}: channel {channel.Id} has no samples");
                        triggers.Add(e.Trigger);
                        times.Add(e.TimeNs);
                        peaks.Add(e.Channels.Count == 0 ? 0 : PeakAboveBaseline(e.Channels[0], (int)e.PreSamples));
                        break;
                    case Topics.RunBegin:
                        if (reader.RecordsRead != 1) problems.Add($"{record}: run.begin is not the first record");
                        begin = RunBeginMessage.FromMap(MessagePackValue.ReadMap(record.Payload.Span));
                        break;
                    case Topics.RunEnd:
                        end = RunEndMessage.FromMap(MessagePackValue.ReadMap(record.Payload.Span));
                        break;
                    case Topics.Alarm:
                        alarms.Add(AlarmMessage.FromMap(MessagePackValue.ReadMap(record.Payload.Span)));
                        break;
                    default:
                        WireDecodingCheck(record, problems);
                        break;
                }
            }
            catch (FormatException ex)
            {
                problems.Add($"{record} does not decode: {ex.Message}");
            }
        }
        if (begin is null) problems.Add("no run.begin record");
        if (end is not null)
        {
            // After a full disk, run.end counts the events acquired; those that did not fit are counted as records_lost.
            ulong lost = end.Extras.GetValueOrDefault("records_lost") is { } l ? Convert.ToUInt64(l) : 0;
            if (lost == 0 && end.Events != (ulong)triggers.Count) problems.Add($"run.end says {end.Events} events, the file holds {triggers.Count}");
            if (lost > 0 && ((ulong)triggers.Count > end.Events || (ulong)triggers.Count + lost < end.Events))
                problems.Add($"run.end says {end.Events} events and {lost} records lost, the file holds {triggers.Count} events");
        }
        return new RunFileAudit
        {
            Path = path,
            EndState = reader.EndState,
            EndDescription = reader.EndDescription,
            Records = reader.RecordsRead,
            ReadableBytes = reader.Position,
            Length = reader.Length,
            EventTimesNs = times,
            Triggers = triggers,
            EventPeakVolts = peaks,
            Alarms = alarms,
            RunBegin = begin,
            RunEnd = end,
            Problems = problems,
            RecordsByTopic = byTopic,
        };
    }

    private static double PeakAboveBaseline(ChannelRecord channel, int preSamples)
    {
        var codes = channel.Samples;
        int baselineCount = Math.Clamp(preSamples, 1, codes.Length);
        double baseline = 0;
        for (int i = 0; i < baselineCount; i++) baseline += codes[i];
        baseline /= baselineCount;
        int max = short.MinValue;
        foreach (short code in codes) max = Math.Max(max, code);
        return (max - baseline) * channel.Lsb;
    }

    private static void WireDecodingCheck(RunFileRecord record, List<string> problems)
    {
        var (outcome, detail) = WireDecoding.Typed(record.Topic, record.Payload.ToArray());
        if (outcome != DecodeOutcome.Accepted) problems.Add($"{record} does not decode: {detail}");
    }
}
