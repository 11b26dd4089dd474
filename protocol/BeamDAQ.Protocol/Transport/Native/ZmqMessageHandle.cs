using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BeamDAQ.Protocol.Transport.Native;

/// <summary>
/// Owns one <c>zmq_msg_t</c> in native memory (so it never moves and spans over its data stay valid until the
/// next receive) and closes it on release, returning a reference-counted payload buffer to libzmq.
/// </summary>
internal sealed unsafe class ZmqMessageHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private ZmqMessageHandle() : base(ownsHandle: true)
    {
    }

    internal static ZmqMessageHandle Allocate()
    {
        var result = new ZmqMessageHandle();
        var msg = (ZmqMsg*)NativeMemory.AlignedAlloc(ZmqConstants.ZmqMsgSize, (nuint)sizeof(nint));
        LibZmq.zmq_msg_init(msg); // cannot fail: it only fills in the empty-message fields
        result.SetHandle((nint)msg);
        return result;
    }

    /// <summary>The message struct; only valid while the handle is open and a reference is held.</summary>
    internal ZmqMsg* Message => (ZmqMsg*)handle;

    protected override bool ReleaseHandle()
    {
        int rc = LibZmq.zmq_msg_close((ZmqMsg*)handle);
        NativeMemory.AlignedFree((void*)handle);
        return rc == 0;
    }
}
