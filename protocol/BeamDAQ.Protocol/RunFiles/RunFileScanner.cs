using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.RunFiles;

/// <summary>
/// Walks a whole run file and sums it up (<see cref="RunFileScanResult"/>): records per topic, run number,
/// first and last trigger, and where and why reading stopped. The work behind <c>beamdaq-daq verify</c>.
/// </summary>
public static class RunFileScanner
{
    // Report progress about every 64 MiB: a few dozen updates for a large run, none for a small one.
    private const long ProgressStep = 64L << 20;

    /// <param name="progress">Receives the offset reached, for a progress bar over <see cref="RunFileReader.Length"/>.</param>
    public static RunFileScanResult Scan(string path, IProgress<long>? progress = null)
    {
        using var reader = RunFileReader.Open(path);
        return Scan(reader, progress);
    }

    /// <summary>Scans the remaining records of <paramref name="reader"/>.</summary>
    public static RunFileScanResult Scan(RunFileReader reader, IProgress<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var byTopic = new Dictionary<string, long>();
        var order = new List<string>();
        ulong? run = null, firstTrigger = null, lastTrigger = null;
        long undecodable = 0;
        bool startsWithRunBegin = false;
        long nextProgress = ProgressStep;

        while (reader.TryRead(out var record))
        {
            if (byTopic.TryGetValue(record.Topic, out long count)) byTopic[record.Topic] = count + 1;
            else { byTopic[record.Topic] = 1; order.Add(record.Topic); }

            if (reader.RecordsRead == 1) startsWithRunBegin = record.Topic == Topics.RunBegin;

            if (ReferenceEquals(record.Topic, Topics.Event))
            {
                if (MessagePackMapLookup.TryReadUInt64(record.Payload.Span, "trg"u8, out ulong trigger))
                {
                    firstTrigger ??= trigger;
                    lastTrigger = trigger;
                }
                else undecodable++;
                if (run is null && MessagePackMapLookup.TryReadUInt64(record.Payload.Span, "run"u8, out ulong eventRun)) run = eventRun;
            }
            else if (ReferenceEquals(record.Topic, Topics.RunBegin) && run is null && MessagePackMapLookup.TryReadUInt64(record.Payload.Span, "run"u8, out ulong beginRun))
            {
                run = beginRun;
            }

            if (progress is not null && reader.Position >= nextProgress)
            {
                progress.Report(reader.Position);
                nextProgress = reader.Position + ProgressStep;
            }
        }
        progress?.Report(reader.EndOffset);

        return new RunFileScanResult
        {
            File = reader.Name,
            Length = reader.Length,
            Records = reader.RecordsRead,
            RecordsByTopic = order.ToDictionary(t => t, t => byTopic[t]),
            Run = run,
            FirstTrigger = firstTrigger,
            LastTrigger = lastTrigger,
            UndecodableEvents = undecodable,
            StartsWithRunBegin = startsWithRunBegin,
            EndsWithRunEnd = reader.EndsWithRunEnd,
            EndState = reader.EndState,
            EndOffset = reader.EndOffset,
            EndDescription = reader.EndDescription,
            ReadableBytes = reader.Position,
        };
    }
}
