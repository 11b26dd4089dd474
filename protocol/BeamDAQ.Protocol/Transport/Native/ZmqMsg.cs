using System.Runtime.InteropServices;

namespace BeamDAQ.Protocol.Transport.Native;

/// <summary>
/// The opaque <c>zmq_msg_t</c>: 64 bytes that only libzmq interprets. Declared as eight longs so that a copy
/// on the stack is pointer-aligned like the C declaration. Small messages keep their data inside these bytes,
/// so <c>zmq_msg_data</c> must be asked again after the struct moves; BeamDAQ never moves a live one.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = ZmqConstants.ZmqMsgSize)]
internal unsafe struct ZmqMsg
{
    private fixed long _opaque[ZmqConstants.ZmqMsgSize / sizeof(long)];
}
