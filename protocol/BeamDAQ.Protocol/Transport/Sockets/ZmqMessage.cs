using System.Text;
using BeamDAQ.Protocol.Transport.Native;

namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// A reusable receive buffer: one frame as libzmq holds it (a <c>zmq_msg_t</c>). Receiving into it hands over
/// libzmq's buffer without copying; <see cref="Data"/> is valid until the next receive into this message or
/// <see cref="Dispose"/>. Keep one per receiving loop so that the loop does not allocate.
/// </summary>
public sealed unsafe class ZmqMessage : IDisposable
{
    private readonly ZmqMessageHandle _handle = ZmqMessageHandle.Allocate();

    internal ZmqMessageHandle Handle => _handle;

    /// <summary>The frame's bytes, straight from libzmq's buffer.</summary>
    public ReadOnlySpan<byte> Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return ZmqChecked.MessageData(_handle.Message);
        }
    }

    public int Size => Data.Length;

    /// <summary>True when further frames of the same multipart message follow this one.</summary>
    public bool More
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return ZmqChecked.MessageHasMore(_handle.Message);
        }
    }

    public byte[] ToArray() => Data.ToArray();

    /// <summary>The frame as UTF-8 text (topics).</summary>
    public override string ToString() => _handle.IsClosed ? "(disposed)" : Encoding.UTF8.GetString(Data);

    /// <summary>Releases libzmq's buffer.</summary>
    public void Dispose() => _handle.Dispose();
}
