using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Analysis.Pipeline;

/// <summary>
/// Feeds an <see cref="EventPipeline"/> from a ZeroMQ subscription — the live twin of the offline run-file
/// reader: every message goes through <see cref="EventPipeline.Accept"/> exactly as a run-file record does.
/// What the subscription lost (sequence gaps, malformed messages) is counted by the subscriber and exposed here.
/// </summary>
public sealed class LiveEventSource(EventSubscriber subscriber, EventPipeline pipeline)
{
    public EventSubscriber Subscriber { get; } = subscriber ?? throw new ArgumentNullException(nameof(subscriber));
    public EventPipeline Pipeline { get; } = pipeline ?? throw new ArgumentNullException(nameof(pipeline));

    /// <summary>Messages lost between publisher and subscriber (sequence gaps).</summary>
    public long Missed => Subscriber.Missed;

    /// <summary>Messages the subscriber rejected before they reached the pipeline.</summary>
    public long Malformed => Subscriber.Malformed;

    /// <summary>
    /// Receives and processes messages on the calling thread until <paramref name="cancellation"/> is signalled or
    /// the ZeroMQ context is terminated. <paramref name="poll"/> bounds how long a cancellation waits to be seen.
    /// </summary>
    public void Run(CancellationToken cancellation, TimeSpan? poll = null)
    {
        var wait = poll ?? TimeSpan.FromMilliseconds(100);
        while (!cancellation.IsCancellationRequested && !Subscriber.ContextTerminated)
            ProcessAvailable(wait);
    }

    /// <summary>Processes the messages that arrive within <paramref name="wait"/> (all that are queued, then returns); the number processed.</summary>
    public int ProcessAvailable(TimeSpan wait)
    {
        int processed = 0;
        var timeout = wait;
        while (Subscriber.TryReceive(timeout, out var message))
        {
            Pipeline.Accept(message.Topic, message.Payload);
            processed++;
            timeout = TimeSpan.Zero;   // drain what is queued, then give the caller its turn
        }
        return processed;
    }
}
