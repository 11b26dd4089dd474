using Microsoft.Win32.SafeHandles;

namespace BeamDAQ.Protocol.Transport.Native;

/// <summary>
/// Owns a libzmq context. Every socket handle holds a reference on it, so <c>zmq_ctx_term</c> (which blocks
/// until all sockets are closed, honouring their linger) runs only after the last socket has been closed,
/// even when both are left to the finalizer.
/// </summary>
internal sealed class ZmqContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ZmqContextHandle() : base(ownsHandle: true)
    {
    }

    internal ZmqContextHandle(nint context) : base(ownsHandle: true) => SetHandle(context);

    protected override bool ReleaseHandle()
    {
        // A signal can interrupt the wait for lingering messages; the call is then simply repeated.
        int rc;
        do rc = LibZmq.zmq_ctx_term(handle);
        while (rc == -1 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == ZmqConstants.EINTR);
        return rc == 0;
    }
}
