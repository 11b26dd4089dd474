namespace BeamDAQ.Protocol.Transport.Native;

/// <summary>The numbers from libzmq 4.3's zmq.h that BeamDAQ uses (ABI-stable since 4.0).</summary>
internal static class ZmqConstants
{
    // Context options.
    internal const int ZMQ_IO_THREADS = 1;
    internal const int ZMQ_MAX_SOCKETS = 2;
    internal const int ZMQ_BLOCKY = 70;

    // Socket options.
    internal const int ZMQ_SUBSCRIBE = 6;
    internal const int ZMQ_UNSUBSCRIBE = 7;
    internal const int ZMQ_SNDBUF = 11;
    internal const int ZMQ_RCVBUF = 12;
    internal const int ZMQ_RCVMORE = 13;
    internal const int ZMQ_TYPE = 16;
    internal const int ZMQ_LINGER = 17;
    internal const int ZMQ_RECONNECT_IVL = 18;
    internal const int ZMQ_MAXMSGSIZE = 22;
    internal const int ZMQ_SNDHWM = 23;
    internal const int ZMQ_RCVHWM = 24;
    internal const int ZMQ_RCVTIMEO = 27;
    internal const int ZMQ_SNDTIMEO = 28;
    internal const int ZMQ_LAST_ENDPOINT = 32;
    internal const int ZMQ_IMMEDIATE = 39;
    internal const int ZMQ_XPUB_NODROP = 69;

    // Send/receive flags.
    internal const int ZMQ_DONTWAIT = 1;
    internal const int ZMQ_SNDMORE = 2;

    // Poll events.
    internal const short ZMQ_POLLIN = 1;
    internal const short ZMQ_POLLOUT = 2;
    internal const short ZMQ_POLLERR = 4;

    // errno values (Linux) and libzmq's own codes above ZMQ_HAUSNUMERO.
    internal const int EINTR = 4;
    internal const int EAGAIN = 11;
    internal const int EINVAL = 22;
    internal const int EADDRINUSE = 98;
    internal const int EPROTONOSUPPORT = 93;
    internal const int ENOTSOCK = 88;
    private const int ZMQ_HAUSNUMERO = 156384712;
    internal const int EFSM = ZMQ_HAUSNUMERO + 51;
    internal const int ETERM = ZMQ_HAUSNUMERO + 53;

    /// <summary>The size of <c>zmq_msg_t</c>: 64 bytes, pointer-aligned.</summary>
    internal const int ZmqMsgSize = 64;
}
