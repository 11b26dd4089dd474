using System.Diagnostics;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Daq.Acquisition.Publishing;

/// <summary>
/// The bounded hand-over between the threads that produce messages (the acquisition loop above all) and the one
/// publisher thread that sends them. A message is encoded straight into a slot's reusable buffer, those very bytes
/// are appended to the run file, and the slot is then committed here; the publisher thread sends it and gives the
/// slot back. Nothing here ever waits for the publisher: when every slot is taken, <see cref="Policy"/> names which
/// message is lost, and <see cref="Dropped"/> counts it.
/// </summary>
/// <remarks>
/// Thread-safe. Slots, their buffers and both collections are allocated up front (buffers grow to the largest
/// message once), so steady-state traffic allocates nothing.
/// </remarks>
internal sealed class PublicationQueue
{
    private readonly object _gate = new();
    private readonly Stack<Slot> _free;
    private readonly Queue<Slot> _pending;
    private Slot? _inFlight;
    private bool _completed;
    private long _dropped;

    public PublicationQueue(int capacity, PublicationDropPolicy policy)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        Policy = policy;
        _free = new Stack<Slot>(capacity);
        _pending = new Queue<Slot>(capacity);
        for (int i = 0; i < capacity; i++) _free.Push(new Slot());
    }

    public int Capacity { get; }

    public PublicationDropPolicy Policy { get; }

    /// <summary>Messages given up because the queue was full (the run file has them all).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Messages waiting for the publisher thread.</summary>
    public int Pending
    {
        get { lock (_gate) return _pending.Count; }
    }

    /// <summary>
    /// A slot to encode the next message into. When every slot is taken, <see cref="PublicationDropPolicy.DropOldest"/>
    /// takes back the oldest waiting message (counted as dropped); <see cref="PublicationDropPolicy.DropNewest"/>
    /// returns false: the new message will not be published (counted as dropped) and the caller encodes it into a
    /// buffer of its own for the run file.
    /// </summary>
    public bool TryRent(out Slot slot)
    {
        lock (_gate)
        {
            if (_free.TryPop(out slot!)) return true;
            _dropped++;
            if (Policy == PublicationDropPolicy.DropOldest && _pending.TryDequeue(out slot!)) return true;
            slot = null!;
            return false;
        }
    }

    /// <summary>
    /// A slot for a message that must not be lost to a full queue (run.begin, run.end, alarms, heartbeats): a free
    /// slot if there is one, else the oldest waiting <c>evt</c> gives up its slot (counted as dropped), else — every
    /// waiting message is itself one of these rare ones — a new slot joins the pool.
    /// </summary>
    public Slot RentEssential()
    {
        lock (_gate)
        {
            if (_free.TryPop(out var slot)) return slot;
            if (TryEvictOldestEvent(out slot))
            {
                _dropped++;
                return slot;
            }
            return new Slot();
        }
    }

    // Rotates the pending queue once, taking out its first evt and keeping the order of the rest. O(capacity), and
    // only when the queue is full, so it stays off the per-event path.
    private bool TryEvictOldestEvent(out Slot evicted)
    {
        evicted = null!;
        for (int i = 0, n = _pending.Count; i < n; i++)
        {
            var slot = _pending.Dequeue();
            if (evicted is null && slot.Topic == Topics.Event)
                evicted = slot;
            else
                _pending.Enqueue(slot);
        }
        return evicted is not null;
    }

    /// <summary>Hands an encoded slot to the publisher thread.</summary>
    public void Commit(Slot slot, string topic)
    {
        ArgumentNullException.ThrowIfNull(slot);
        slot.Topic = topic;
        lock (_gate)
        {
            _pending.Enqueue(slot);
            // PulseAll: a thread in WaitUntilSent may be waiting on the same lock, and must not take the publisher's wake-up.
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Gives a rented slot back unsent (its message could not be recorded, so it is not published either).</summary>
    public void Release(Slot slot)
    {
        lock (_gate) _free.Push(slot);
    }

    /// <summary>
    /// Grows every free slot's buffer to hold <paramref name="bytes"/> now, so a run's first minutes do not allocate
    /// as one slot after another meets its first full-size event.
    /// </summary>
    public void Reserve(int bytes)
    {
        lock (_gate)
        {
            foreach (var slot in _free)
            {
                slot.Writer.Reset();
                slot.Writer.WriteBinaryHeaderAndGetSpan(bytes);
                slot.Writer.Reset();
            }
        }
    }

    /// <summary>
    /// The publisher thread's side: waits for the next committed slot. False once <see cref="Complete"/> was called
    /// and nothing is left, or when <paramref name="timeout"/> passed.
    /// </summary>
    public bool TryTake(TimeSpan timeout, out Slot slot)
    {
        lock (_gate)
        {
            Debug.Assert(_inFlight is null, "one publisher thread takes one slot at a time");
            long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
            while (_pending.Count == 0)
            {
                long remaining = deadline - Environment.TickCount64;
                if (_completed || remaining <= 0)
                {
                    slot = null!;
                    return false;
                }
                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(remaining));
            }
            slot = _pending.Dequeue();
            _inFlight = slot;
            return true;
        }
    }

    /// <summary>The publisher thread gives the slot it took back once sent.</summary>
    public void Return(Slot slot)
    {
        lock (_gate)
        {
            Debug.Assert(ReferenceEquals(_inFlight, slot), "only the slot in flight comes back");
            _inFlight = null;
            _free.Push(slot);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until every committed message has been taken and sent, at most <paramref name="timeout"/>.</summary>
    public bool WaitUntilSent(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (_pending.Count > 0 || _inFlight is not null)
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0) return false;
                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(remaining));
            }
            return true;
        }
    }

    /// <summary>No more messages will come: the publisher thread ends once the queue is empty.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>One reusable message buffer.</summary>
    internal sealed class Slot
    {
        public MessagePackWriter Writer { get; } = new(4096);
        public string Topic { get; set; } = "";
    }
}
