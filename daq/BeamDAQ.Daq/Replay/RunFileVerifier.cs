using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Daq.Replay;

/// <summary>
/// Checks a recorded run (<c>beamdaq-daq verify</c>): the file's records and end state (<see cref="RunFileScanner"/>),
/// then the trigger numbers, which the front end writes 1, 2, 3, … without gaps (missed triggers are counted in
/// the gap records and <c>run.end</c>, never by skipping numbers): any missing or repeated number means lost or
/// foreign records. Also compares <c>run.end</c>'s event count with the events in the file.
/// </summary>
public static class RunFileVerifier
{
    /// <summary>At most this many trigger gaps are listed one by one (all are counted).</summary>
    public const int MaxListedGaps = 100;

    public static VerifyReport Verify(string path, IProgress<long>? progress = null)
    {
        var scan = RunFileScanner.Scan(path, progress);
        var gaps = new List<TriggerGap>();
        var disorder = new List<string>();
        long gapCount = 0;
        ulong missingTriggers = 0;
        long events = 0;
        RunEndMessage? runEnd = null;
        string? runEndProblem = null;
        ulong? previous = null;

        using (var reader = RunFileReader.Open(path))
        {
            while (reader.TryRead(out var record))
            {
                if (ReferenceEquals(record.Topic, Topics.Event))
                {
                    events++;
                    if (!MessagePackMapLookup.TryReadUInt64(record.Payload.Span, "trg"u8, out ulong trigger)) continue; // counted by the scan
                    if (previous is { } p)
                    {
                        if (trigger > p + 1)
                        {
                            gapCount++;
                            missingTriggers += trigger - p - 1;
                            if (gaps.Count < MaxListedGaps) gaps.Add(new TriggerGap(p, trigger, trigger - p - 1, record.Offset));
                        }
                        else if (trigger <= p && disorder.Count < MaxListedGaps)
                        {
                            disorder.Add($"trigger {trigger} at offset {record.Offset} follows trigger {p}");
                        }
                    }
                    else if (trigger != 1)
                    {
                        gapCount++;
                        missingTriggers += trigger - 1;
                        gaps.Add(new TriggerGap(0, trigger, trigger - 1, record.Offset));
                    }
                    previous = trigger;
                }
                else if (ReferenceEquals(record.Topic, Topics.RunEnd))
                {
                    try
                    {
                        runEnd = RunEndMessage.FromMap(MessagePackValue.ReadMap(record.Payload.Span));
                    }
                    catch (FormatException e)
                    {
                        runEndProblem = $"run.end at offset {record.Offset} does not decode: {e.Message}";
                    }
                }
            }
        }

        var problems = new List<string>();
        if (scan.EndState != RunFileEndState.CleanEnd)
            problems.Add($"damaged: {scan.EndState} at offset {scan.EndOffset}: {scan.EndDescription}");
        if (!scan.StartsWithRunBegin)
            problems.Add(scan.Records == 0 ? "the file holds no record" : "the first record is not run.begin");
        if (!scan.EndsWithRunEnd)
            problems.Add("the last record is not run.end: the run did not end cleanly (a crash, a full disk, or still being written)");
        if (gapCount > 0)
            problems.Add($"{missingTriggers} trigger number(s) missing in {gapCount} gap(s): records were lost");
        if (disorder.Count > 0)
            problems.Add($"trigger numbers out of order or repeated ({disorder.Count}{(disorder.Count == MaxListedGaps ? "+" : "")} case(s)), e.g. {disorder[0]}");
        if (scan.UndecodableEvents > 0)
            problems.Add($"{scan.UndecodableEvents} evt record(s) without a readable trigger number");
        if (runEndProblem is not null) problems.Add(runEndProblem);
        if (runEnd is not null && runEnd.Events != (ulong)events)
            problems.Add($"run.end says {runEnd.Events} events, the file holds {events}");

        return new VerifyReport(scan, events, gaps, gapCount, missingTriggers, disorder, runEnd, problems);
    }
}

/// <summary>Trigger numbers missing between <see cref="After"/> and <see cref="Before"/> (0 = the start of the run).</summary>
public sealed record TriggerGap(ulong After, ulong Before, ulong Missing, long Offset);

/// <summary>What <see cref="RunFileVerifier"/> found; <see cref="Ok"/> when nothing is wrong.</summary>
public sealed record VerifyReport(
    RunFileScanResult Scan,
    long Events,
    IReadOnlyList<TriggerGap> TriggerGaps,
    long TriggerGapCount,
    ulong MissingTriggers,
    IReadOnlyList<string> Disorder,
    RunEndMessage? RunEnd,
    IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;

    /// <summary>Device outages the run recorded (the <c>gaps</c> of run.end), as maps.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> DeviceGaps =>
        RunEnd?.Extras.GetValueOrDefault("gaps") is IEnumerable<object?> list
            ? list.OfType<IReadOnlyDictionary<string, object?>>().ToList()
            : [];
}
