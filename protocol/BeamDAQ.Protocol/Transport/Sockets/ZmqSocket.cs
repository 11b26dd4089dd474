using System.Text;
using BeamDAQ.Protocol.Transport.Native;
using static BeamDAQ.Protocol.Transport.Native.ZmqConstants;

namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// A libzmq socket. Like the C socket it is not thread-safe: one thread uses it at a time (Dispose excepted).
/// "Nothing arrived in time", "no room to send without blocking" and "the context is terminating" are return
/// values (false, and <see cref="ContextTerminated"/>); other failures throw <see cref="ZmqException"/>.
/// </summary>
public sealed unsafe class ZmqSocket : IDisposable
{
    private readonly ZmqContext _context;
    private readonly ZmqSocketHandle _handle;
    private bool _failSendWhenSubscriberFull;
    private long _maximumMessageSize = -1;

    internal ZmqSocket(ZmqContext context, ZmqSocketHandle handle, ZmqSocketType type)
    {
        _context = context;
        _handle = handle;
        SocketType = type;
        Linger = context.DefaultLinger;
    }

    public ZmqSocketType SocketType { get; }

    /// <summary>True once a call has returned because the context is being terminated; the socket is then useless.</summary>
    public bool ContextTerminated { get; private set; }

    internal ZmqSocketHandle Handle => _handle;

    // ---- endpoints ----

    /// <summary>Binds, e.g. <c>tcp://127.0.0.1:5556</c> or <c>tcp://127.0.0.1:*</c> (then read <see cref="LastEndpoint"/>).</summary>
    public void Bind(string endpoint) => ZmqChecked.Bind(_handle, Check(endpoint));

    /// <summary>Connects; the connection is made (and remade) in the background, so a missing peer is not an error.</summary>
    public void Connect(string endpoint) => ZmqChecked.Connect(_handle, Check(endpoint));

    /// <summary>Unbinds; for a wildcard bind pass the resolved <see cref="LastEndpoint"/>.</summary>
    public void Unbind(string endpoint) => ZmqChecked.Unbind(_handle, Check(endpoint));

    public void Disconnect(string endpoint) => ZmqChecked.Disconnect(_handle, Check(endpoint));

    /// <summary>The endpoint of the last bind or connect, with the port resolved for wildcard binds.</summary>
    public string LastEndpoint => ZmqChecked.GetStringOption(_handle, ZMQ_LAST_ENDPOINT);

    // ---- subscriptions (SUB) ----

    /// <summary>Receives messages whose first frame starts with <paramref name="prefix"/> ("" = everything).</summary>
    public void Subscribe(string prefix) => Subscribe(Encoding.UTF8.GetBytes(prefix ?? throw new ArgumentNullException(nameof(prefix))));

    public void Subscribe(ReadOnlySpan<byte> prefix) => ZmqChecked.SetOption(_handle, ZMQ_SUBSCRIBE, prefix);

    public void Unsubscribe(string prefix) => Unsubscribe(Encoding.UTF8.GetBytes(prefix ?? throw new ArgumentNullException(nameof(prefix))));

    public void Unsubscribe(ReadOnlySpan<byte> prefix) => ZmqChecked.SetOption(_handle, ZMQ_UNSUBSCRIBE, prefix);

    // ---- options ----

    /// <summary>Messages queued per peer before sends block or drop (0 = no limit). Set before Bind/Connect.</summary>
    public int SendHighWaterMark
    {
        get => ZmqChecked.GetInt32Option(_handle, ZMQ_SNDHWM);
        set => ZmqChecked.SetOption(_handle, ZMQ_SNDHWM, NonNegative(value, nameof(SendHighWaterMark)));
    }

    /// <summary>Messages queued per peer on the receiving side (0 = no limit). Set before Bind/Connect.</summary>
    public int ReceiveHighWaterMark
    {
        get => ZmqChecked.GetInt32Option(_handle, ZMQ_RCVHWM);
        set => ZmqChecked.SetOption(_handle, ZMQ_RCVHWM, NonNegative(value, nameof(ReceiveHighWaterMark)));
    }

    /// <summary>How long close/terminate keeps trying to deliver pending messages (infinite allowed).</summary>
    public TimeSpan Linger
    {
        get => Timeouts.FromMilliseconds(ZmqChecked.GetInt32Option(_handle, ZMQ_LINGER));
        set => ZmqChecked.SetOption(_handle, ZMQ_LINGER, Timeouts.ToMilliseconds(value, nameof(Linger)));
    }

    /// <summary>Time-out of blocking receives (infinite by default).</summary>
    public TimeSpan ReceiveTimeout
    {
        get => Timeouts.FromMilliseconds(ZmqChecked.GetInt32Option(_handle, ZMQ_RCVTIMEO));
        set => ZmqChecked.SetOption(_handle, ZMQ_RCVTIMEO, Timeouts.ToMilliseconds(value, nameof(ReceiveTimeout)));
    }

    /// <summary>Time-out of blocking sends (infinite by default).</summary>
    public TimeSpan SendTimeout
    {
        get => Timeouts.FromMilliseconds(ZmqChecked.GetInt32Option(_handle, ZMQ_SNDTIMEO));
        set => ZmqChecked.SetOption(_handle, ZMQ_SNDTIMEO, Timeouts.ToMilliseconds(value, nameof(SendTimeout)));
    }

    /// <summary>ZMQ_IMMEDIATE: queue messages only to completed connections, so a dead peer cannot swallow a request.</summary>
    public bool Immediate
    {
        get => ZmqChecked.GetInt32Option(_handle, ZMQ_IMMEDIATE) != 0;
        set => ZmqChecked.SetOption(_handle, ZMQ_IMMEDIATE, value ? 1 : 0);
    }

    /// <summary>Wait before reconnecting to a lost peer.</summary>
    public TimeSpan ReconnectInterval
    {
        get => TimeSpan.FromMilliseconds(ZmqChecked.GetInt32Option(_handle, ZMQ_RECONNECT_IVL));
        set
        {
            int ms = Timeouts.ToMilliseconds(value, nameof(ReconnectInterval));
            if (ms < 0) throw new ArgumentOutOfRangeException(nameof(ReconnectInterval), value, "must be finite");
            ZmqChecked.SetOption(_handle, ZMQ_RECONNECT_IVL, ms);
        }
    }

    /// <summary>
    /// ZMQ_MAXMSGSIZE: a peer that announces a larger message is disconnected before libzmq allocates it (-1: no
    /// limit, the default). A bound socket anyone can connect to sets it, so a stranger cannot make it buffer gigabytes.
    /// Set before Bind/Connect.
    /// </summary>
    public long MaximumMessageSize
    {
        get => _maximumMessageSize; // read back as set: one int64 option, not worth a raw getter
        set
        {
            if (value < -1) throw new ArgumentOutOfRangeException(nameof(MaximumMessageSize), value, "a size in bytes, or -1 for no limit");
            Span<byte> int64 = stackalloc byte[sizeof(long)];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(int64, value); // int64_t in host order (little-endian hosts only)
            ZmqChecked.SetOption(_handle, ZMQ_MAXMSGSIZE, int64);
            _maximumMessageSize = value;
        }
    }

    /// <summary>
    /// PUB only (ZMQ_XPUB_NODROP): when a subscriber's queue is full, a send waits or fails (and can be counted)
    /// instead of libzmq silently dropping the message for that subscriber. Off by default, as in libzmq.
    /// </summary>
    public bool FailSendWhenSubscriberFull
    {
        get => _failSendWhenSubscriberFull; // libzmq 4.3 cannot read this option back
        set
        {
            ZmqChecked.SetOption(_handle, ZMQ_XPUB_NODROP, value ? 1 : 0);
            _failSendWhenSubscriberFull = value;
        }
    }

    // ---- sending ----

    /// <summary>
    /// Sends one frame (<paramref name="more"/>: further frames of the same message follow), blocking at most
    /// <see cref="SendTimeout"/>; throws <see cref="TimeoutException"/> when it expires.
    /// </summary>
    public void Send(ReadOnlySpan<byte> frame, bool more = false)
    {
        if (!TrySend(frame, more, dontWait: false))
        {
            if (ContextTerminated) throw new ObjectDisposedException(nameof(ZmqContext), "the socket's context was terminated");
            throw new TimeoutException($"send on {SocketType} socket: no room within the send time-out {SendTimeout}");
        }
    }

    /// <summary>
    /// Sends one frame; false when it could not be queued without blocking (<paramref name="dontWait"/>), when
    /// <see cref="SendTimeout"/> expired, or when the context is terminating. The bytes are copied once, into libzmq.
    /// </summary>
    public bool TrySend(ReadOnlySpan<byte> frame, bool more, bool dontWait)
    {
        int flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0);
        while (true)
        {
            switch (ZmqChecked.Send(_handle, frame, flags))
            {
                case ZmqStatus.Ok: return true;
                case ZmqStatus.Interrupted: continue;
                case ZmqStatus.Terminated: ContextTerminated = true; return false;
                default: return false;
            }
        }
    }

    /// <summary>
    /// Sends a two-frame message (topic, payload). False when the first frame could not be queued; once it is,
    /// libzmq admits the rest of the message (its high-water mark counts whole messages), so a message is never
    /// left half sent.
    /// </summary>
    public bool TrySendMultipart(ReadOnlySpan<byte> topic, ReadOnlySpan<byte> payload, bool dontWait)
    {
        if (!TrySend(topic, more: true, dontWait)) return false;
        if (TrySend(payload, more: false, dontWait)) return true;
        if (ContextTerminated) return false;
        // Not reachable with libzmq 4.3 (see above); fail loudly rather than leave the socket mid-message.
        throw new InvalidOperationException($"{SocketType} socket accepted a topic frame but refused its payload frame");
    }

    /// <summary>
    /// Sends one frame straight from <paramref name="buffer"/>, without copying; otherwise like
    /// <see cref="TrySend(ReadOnlySpan{byte}, bool, bool)"/>.
    /// </summary>
    public bool TrySend(ZmqSharedBuffer buffer, bool more, bool dontWait)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        int flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0);
        while (true)
        {
            switch (ZmqChecked.SendShared(_handle, buffer.Handle, flags))
            {
                case ZmqStatus.Ok: return true;
                case ZmqStatus.Interrupted: continue;
                case ZmqStatus.Terminated: ContextTerminated = true; return false;
                default: return false;
            }
        }
    }

    /// <summary>A two-frame message whose payload is sent without copying (see <see cref="ZmqSharedBuffer"/>).</summary>
    public bool TrySendMultipart(ReadOnlySpan<byte> topic, ZmqSharedBuffer payload, bool dontWait)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!TrySend(topic, more: true, dontWait)) return false;
        if (TrySend(payload, more: false, dontWait)) return true;
        if (ContextTerminated) return false;
        throw new InvalidOperationException($"{SocketType} socket accepted a topic frame but refused its payload frame");
    }

    // ---- receiving ----

    /// <summary>
    /// Receives one frame into <paramref name="message"/> (replacing its previous content), blocking at most
    /// <see cref="ReceiveTimeout"/> unless <paramref name="dontWait"/>. The payload is not copied: read it through
    /// <see cref="ZmqMessage.Data"/>.
    /// </summary>
    public bool TryReceive(ZmqMessage message, bool dontWait = false)
    {
        ArgumentNullException.ThrowIfNull(message);
        int flags = dontWait ? ZMQ_DONTWAIT : 0;
        bool added = false;
        var messageHandle = message.Handle;
        messageHandle.DangerousAddRef(ref added);
        try
        {
            while (true)
            {
                switch (ZmqChecked.Receive(messageHandle.Message, _handle, flags))
                {
                    case ZmqStatus.Ok: return true;
                    case ZmqStatus.Interrupted: continue;
                    case ZmqStatus.Terminated: ContextTerminated = true; return false;
                    default: return false;
                }
            }
        }
        finally
        {
            messageHandle.DangerousRelease();
        }
    }

    /// <summary>Receives one frame, waiting at most <paramref name="timeout"/> (independent of <see cref="ReceiveTimeout"/>).</summary>
    public bool TryReceive(ZmqMessage message, TimeSpan timeout)
    {
        long deadline = Timeouts.Deadline(timeout, nameof(timeout));
        while (true)
        {
            if (TryReceive(message, dontWait: true)) return true;
            if (ContextTerminated) return false;
            long remaining = Timeouts.Remaining(deadline);
            if (remaining == 0 || !PollFor(ZmqPollEvents.In, remaining)) return false;
        }
    }

    /// <summary>
    /// Receives a whole multipart message into <paramref name="frames"/> (cleared first), waiting at most
    /// <paramref name="timeout"/> for its first frame. Each frame is copied once, into its own array.
    /// </summary>
    public bool TryReceiveMultipart(List<byte[]> frames, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(frames);
        frames.Clear();
        long deadline = Timeouts.Deadline(timeout, nameof(timeout));
        ZmqMsg msg;
        ZmqChecked.InitMessage(&msg);
        try
        {
            while (!ReceiveInto(&msg, ZMQ_DONTWAIT))
            {
                if (ContextTerminated) return false;
                long remaining = Timeouts.Remaining(deadline);
                if (remaining == 0 || !PollFor(ZmqPollEvents.In, remaining)) return false;
            }
            frames.Add(ZmqChecked.MessageData(&msg).ToArray());
            // libzmq delivers a multipart message atomically: once its first frame is here, so are the others.
            while (ZmqChecked.MessageHasMore(&msg))
            {
                if (!ReceiveInto(&msg, ZMQ_DONTWAIT))
                {
                    if (ContextTerminated) return false;
                    throw new InvalidOperationException($"{SocketType} socket delivered an incomplete multipart message");
                }
                frames.Add(ZmqChecked.MessageData(&msg).ToArray());
            }
            return true;
        }
        finally
        {
            ZmqChecked.CloseMessage(&msg);
        }
    }

    private bool ReceiveInto(ZmqMsg* msg, int flags)
    {
        while (true)
        {
            switch (ZmqChecked.Receive(msg, _handle, flags))
            {
                case ZmqStatus.Ok: return true;
                case ZmqStatus.Interrupted: continue;
                case ZmqStatus.Terminated: ContextTerminated = true; return false;
                default: return false;
            }
        }
    }

    // ---- polling ----

    /// <summary>Waits until <paramref name="events"/> are possible on this socket or <paramref name="timeout"/> expires.</summary>
    public bool Poll(ZmqPollEvents events, TimeSpan timeout) => PollFor(events, Timeouts.ToMilliseconds(timeout, nameof(timeout)));

    private bool PollFor(ZmqPollEvents events, long timeoutMilliseconds)
    {
        long deadline = timeoutMilliseconds < 0 ? long.MaxValue
            : System.Diagnostics.Stopwatch.GetTimestamp() + timeoutMilliseconds * System.Diagnostics.Stopwatch.Frequency / 1000;
        bool added = false;
        _handle.DangerousAddRef(ref added); // keeps the pointer in the poll item alive for the call
        try
        {
            ZmqPollItem item = new() { Socket = _handle.RawPointer, Events = (short)events };
            while (true)
            {
                switch (ZmqChecked.Poll(&item, 1, Timeouts.Remaining(deadline), out int ready))
                {
                    case ZmqStatus.Ok: return ready > 0 && (item.ReturnedEvents & (short)events) != 0;
                    case ZmqStatus.Interrupted: continue;
                    case ZmqStatus.Terminated: ContextTerminated = true; return false;
                    default: return false;
                }
            }
        }
        finally
        {
            _handle.DangerousRelease();
        }
    }

    /// <summary>Closes the socket; pending outgoing messages are still delivered for up to <see cref="Linger"/>.</summary>
    public void Dispose()
    {
        _handle.Dispose();
        _context.Forget(this);
    }

    private static string Check(string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        return endpoint;
    }

    private static int NonNegative(int value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        return value;
    }
}
