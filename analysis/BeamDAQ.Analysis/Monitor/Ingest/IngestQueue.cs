using System.Collections.Concurrent;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Monitor.Ingest;

/// <summary>One message on its way from a subscriber to the pipeline.</summary>
public readonly record struct IngestItem(string Topic, ReadOnlyMemory<byte> Payload);

/// <summary>
/// The bounded queue between the subscribers and the analysis pipeline. Drop policy "drop newest event": when
/// <see cref="EventCapacity"/> events are waiting, a new <c>evt</c> is dropped and counted in
/// <see cref="DroppedEvents"/>, so a receiving thread never waits for the analysis (and the daq never waits for
/// anybody: PUB/SUB drops at the socket too). Other topics (run boundaries, status, slow control, alarms) are
/// few and small and must not be lost behind a burst of events: they have a separate, much larger bound.
/// </summary>
public sealed class IngestQueue : IDisposable
{
    private readonly BlockingCollection<IngestItem> _items = new(new ConcurrentQueue<IngestItem>());
    private int _queuedEvents, _queuedOthers;
    private long _droppedEvents, _droppedOthers, _enqueued;

    public IngestQueue(int eventCapacity, int otherCapacity = 10_000)
    {
        if (eventCapacity < 1) throw new ArgumentOutOfRangeException(nameof(eventCapacity), eventCapacity, "capacity must be positive");
        EventCapacity = eventCapacity;
        OtherCapacity = otherCapacity;
    }

    public int EventCapacity { get; }
    public int OtherCapacity { get; }

    /// <summary>Events dropped because the pipeline was behind.</summary>
    public long DroppedEvents => Interlocked.Read(ref _droppedEvents);

    /// <summary>Other messages dropped because their (large) bound was reached: only when the pipeline is stuck.</summary>
    public long DroppedOthers => Interlocked.Read(ref _droppedOthers);

    public long Enqueued => Interlocked.Read(ref _enqueued);

    /// <summary>Events currently waiting.</summary>
    public int QueuedEvents => Volatile.Read(ref _queuedEvents);

    /// <summary>Adds without ever blocking; false (and counted) when the item was dropped.</summary>
    public bool TryEnqueue(string topic, ReadOnlyMemory<byte> payload)
    {
        bool isEvent = ReferenceEquals(topic, Topics.Event) || topic == Topics.Event;
        ref int queued = ref isEvent ? ref _queuedEvents : ref _queuedOthers;
        int capacity = isEvent ? EventCapacity : OtherCapacity;
        if (Interlocked.Increment(ref queued) > capacity)
        {
            Interlocked.Decrement(ref queued);
            Interlocked.Increment(ref isEvent ? ref _droppedEvents : ref _droppedOthers);
            return false;
        }
        try
        {
            _items.Add(new IngestItem(topic, payload));
        }
        catch (InvalidOperationException)
        {
            // Completed: the monitor is shutting down; what arrives now is not analysed.
            Interlocked.Decrement(ref queued);
            return false;
        }
        Interlocked.Increment(ref _enqueued);
        return true;
    }

    /// <summary>Waits at most <paramref name="timeout"/> for the next item; false on time-out or once completed and empty.</summary>
    public bool TryDequeue(TimeSpan timeout, out IngestItem item)
    {
        try
        {
            if (!_items.TryTake(out item, timeout)) return false;
        }
        catch (ObjectDisposedException)
        {
            item = default;
            return false;
        }
        if (ReferenceEquals(item.Topic, Topics.Event) || item.Topic == Topics.Event) Interlocked.Decrement(ref _queuedEvents);
        else Interlocked.Decrement(ref _queuedOthers);
        return true;
    }

    public bool IsCompleted => _items.IsCompleted;

    /// <summary>No more items will be added; the consumer drains what is there.</summary>
    public void Complete() => _items.CompleteAdding();

    public void Dispose() => _items.Dispose();
}
