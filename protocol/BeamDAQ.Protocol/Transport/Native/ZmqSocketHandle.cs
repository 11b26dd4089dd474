using Microsoft.Win32.SafeHandles;

namespace BeamDAQ.Protocol.Transport.Native;

/// <summary>
/// Owns a libzmq socket and a reference on its context handle, released after <c>zmq_close</c> so the
/// context cannot be terminated underneath an open socket.
/// </summary>
internal sealed class ZmqSocketHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly ZmqContextHandle? _context;

    public ZmqSocketHandle() : base(ownsHandle: true)
    {
    }

    /// <param name="socket">The pointer returned by <c>zmq_socket</c>.</param>
    /// <param name="context">The context, on which the caller has already taken a reference for this socket.</param>
    internal ZmqSocketHandle(nint socket, ZmqContextHandle context) : base(ownsHandle: true)
    {
        SetHandle(socket);
        _context = context;
    }

    /// <summary>The raw pointer, for <c>zmq_pollitem_t</c>; only valid while a reference is held.</summary>
    internal nint RawPointer => handle;

    protected override bool ReleaseHandle()
    {
        // zmq_close only fails with ENOTSOCK, which a SafeHandle that closes exactly once cannot provoke.
        int rc = LibZmq.zmq_close(handle);
        _context?.DangerousRelease();
        return rc == 0;
    }
}
