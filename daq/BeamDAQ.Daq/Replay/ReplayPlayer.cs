using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Daq.Replay;

/// <summary>
/// Republishes a recorded run as if it were live: every record, in order, on its own topic, with the recorded payload
/// (<c>seq</c> and <c>tseq</c> included) — only the replay marks added (<see cref="ReplayMarking"/>). Records are spaced by their
/// recorded <c>t_ns</c> divided by the speed (none at "max"), waiting on the injected clock. A damaged file is replayed
/// up to its last whole record and the damage reported.
/// </summary>
public sealed class ReplayPlayer
{
    private readonly EventPublisher _publisher;
    private readonly IDaqClock _clock;
    private readonly double? _speed;
    private readonly ILogger _log;

    /// <param name="speed">Time scale: 1 = as recorded, 10 = ten times faster; null = as fast as possible.</param>
    public ReplayPlayer(EventPublisher publisher, IDaqClock clock, double? speed, ILogger log)
    {
        if (speed is { } s && (!(s > 0) || double.IsInfinity(s)))
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "the replay speed must be a finite number > 0 (or null for max)");
        _publisher = publisher;
        _clock = clock;
        _speed = speed;
        _log = log;
    }

    public ReplayResult Play(string path, IProgress<ReplayProgress>? progress = null, CancellationToken cancellation = default)
    {
        using var reader = RunFileReader.Open(path);
        var marking = new ReplayMarking();
        var perTopic = new Dictionary<string, long>(StringComparer.Ordinal);
        long published = 0, refused = 0, unmarkable = 0;
        long? firstNs = null;
        var start = _clock.UtcNow;
        bool cancelled = false;

        while (reader.TryRead(out var record))
        {
            if (cancellation.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            if (_speed is { } speed && MessagePackMapLookup.TryReadInt64(record.Payload.Span, "t_ns"u8, out long timeNs))
            {
                firstNs ??= timeNs;
                var due = start + TimeSpan.FromTicks((long)((timeNs - firstNs.Value) / 100 / speed));
                if (!_clock.WaitUntil(due, cancellation))
                {
                    cancelled = true;
                    break;
                }
            }

            ReadOnlySpan<byte> payload = record.Payload.Span;
            try
            {
                if (ReferenceEquals(record.Topic, Topics.Event)) payload = marking.MarkEvent(payload);
                else if (ReferenceEquals(record.Topic, Topics.RunBegin)) payload = marking.MarkRunBegin(payload);
            }
            catch (MessagePackFormatException e)
            {
                // Unmarked it would pass for live data: count it and leave it out.
                unmarkable++;
                _log.Warning("{Record} cannot be marked as replayed and is not published: {Error}", record.ToString(), e.Message);
                continue;
            }

            if (_publisher.PublishEncoded(record.Topic, payload)) published++;
            else refused++;
            perTopic[record.Topic] = perTopic.GetValueOrDefault(record.Topic) + 1;
            progress?.Report(new ReplayProgress(reader.RecordsRead, reader.Position, reader.Length));
        }

        return new ReplayResult(path, published, refused, unmarkable, perTopic, cancelled, reader.EndState, reader.EndOffset, reader.EndDescription);
    }
}

/// <summary>How far a replay is: records published and the byte position in the file.</summary>
public readonly record struct ReplayProgress(long Records, long Position, long Length);

/// <summary>What a replay did: records published (per topic), refused by the socket, left out, and where the file ended.</summary>
public sealed record ReplayResult(
    string File,
    long Published,
    long Refused,
    long Unmarkable,
    IReadOnlyDictionary<string, long> PerTopic,
    bool Cancelled,
    RunFileEndState EndState,
    long EndOffset,
    string EndDescription);
