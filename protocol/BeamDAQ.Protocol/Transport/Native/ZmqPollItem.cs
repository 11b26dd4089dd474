using System.Runtime.InteropServices;

namespace BeamDAQ.Protocol.Transport.Native;

/// <summary><c>zmq_pollitem_t</c> on Linux: socket pointer, fd, requested and returned event masks.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ZmqPollItem
{
    internal nint Socket;
    internal int Fd;
    internal short Events;
    internal short ReturnedEvents;
}
