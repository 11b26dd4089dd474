using BeamDAQ.Protocol.Transport.Native;

namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// Waits on several sockets at once (<c>zmq_poll</c>). Add the sockets once, then call <see cref="Poll"/> in the
/// loop and ask <see cref="IsReady"/> per index. Used on the thread that owns the sockets.
/// </summary>
public sealed unsafe class ZmqPoller
{
    private readonly List<ZmqSocket> _sockets = [];
    private readonly List<ZmqPollEvents> _requested = [];
    private ZmqPollEvents[] _returned = [];

    /// <returns>The index to pass to <see cref="IsReady"/>.</returns>
    public int Add(ZmqSocket socket, ZmqPollEvents events)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (events == ZmqPollEvents.None) throw new ArgumentException("poll for In, Out or both", nameof(events));
        _sockets.Add(socket);
        _requested.Add(events);
        _returned = new ZmqPollEvents[_sockets.Count];
        return _sockets.Count - 1;
    }

    public int Count => _sockets.Count;

    /// <summary>
    /// Waits until at least one socket is ready or <paramref name="timeout"/> expires; returns how many are
    /// ready (0 on time-out, or when the context is terminating — see <see cref="ContextTerminated"/>).
    /// </summary>
    public int Poll(TimeSpan timeout)
    {
        long deadline = Timeouts.Deadline(timeout, nameof(timeout));
        int count = _sockets.Count;
        Array.Clear(_returned);
        Span<ZmqPollItem> items = count <= 16 ? stackalloc ZmqPollItem[count] : new ZmqPollItem[count];
        int referenced = 0;
        try
        {
            // Hold a reference on every socket so none can be closed while libzmq looks at its pointer.
            for (; referenced < count; referenced++)
            {
                bool added = false;
                _sockets[referenced].Handle.DangerousAddRef(ref added);
                items[referenced] = new ZmqPollItem { Socket = _sockets[referenced].Handle.RawPointer, Events = (short)_requested[referenced] };
            }
            fixed (ZmqPollItem* first = items)
            {
                while (true)
                {
                    switch (ZmqChecked.Poll(first, count, Timeouts.Remaining(deadline), out int ready))
                    {
                        case ZmqStatus.Ok:
                            for (int i = 0; i < count; i++) _returned[i] = (ZmqPollEvents)items[i].ReturnedEvents & _requested[i];
                            return ready;
                        case ZmqStatus.Interrupted:
                            continue;
                        case ZmqStatus.Terminated:
                            ContextTerminated = true;
                            return 0;
                        default:
                            return 0;
                    }
                }
            }
        }
        finally
        {
            for (int i = 0; i < referenced; i++) _sockets[i].Handle.DangerousRelease();
        }
    }

    /// <summary>Whether the socket at <paramref name="index"/> was ready for any of its events at the last poll.</summary>
    public bool IsReady(int index) => _returned[index] != ZmqPollEvents.None;

    /// <summary>The events the socket at <paramref name="index"/> was ready for at the last poll.</summary>
    public ZmqPollEvents ReadyEvents(int index) => _returned[index];

    /// <summary>True once a poll returned because the sockets' context is being terminated.</summary>
    public bool ContextTerminated { get; private set; }
}
