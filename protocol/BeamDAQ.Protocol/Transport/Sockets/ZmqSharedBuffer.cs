using BeamDAQ.Protocol.Transport.Native;

namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// A payload that sockets send without copying: native memory that libzmq references until the bytes are on
/// the wire. Fill it through <see cref="GetWritableSpan"/> while nothing is in flight, then send it as often as
/// needed (<see cref="ZmqSocket.TrySendMultipart(ReadOnlySpan{byte}, ZmqSharedBuffer, bool)"/>). Worth it for
/// large payloads sent unchanged (replay, fan-out); small ones are cheaper to copy with the span overloads.
/// </summary>
/// <remarks>
/// Dispose when done; the memory is freed once libzmq has also released every message that uses it. A
/// forgotten Dispose is caught by the finalizer.
/// </remarks>
public sealed unsafe class ZmqSharedBuffer : IDisposable
{
    private readonly ZmqSharedBufferHandle _handle;
    // The handle only reports closed once libzmq has released its last message too, so the owner's Dispose
    // is tracked here: after it, this object refuses all use even while messages are still in flight.
    private volatile bool _disposed;

    public ZmqSharedBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        _handle = ZmqSharedBufferHandle.Allocate(length);
    }

    /// <summary>Allocates a buffer holding a copy of <paramref name="content"/>.</summary>
    public ZmqSharedBuffer(ReadOnlySpan<byte> content) : this(content.Length) => content.CopyTo(GetWritableSpan());

    ~ZmqSharedBuffer() => _handle.Dispose();

    public int Length => _handle.Length;

    /// <summary>Messages using this buffer that libzmq has not yet released.</summary>
    public int InFlight => _handle.InFlight;

    public ReadOnlySpan<byte> Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new(_handle.Pointer, _handle.Length);
        }
    }

    /// <summary>The bytes to fill; only while no message using them is in flight, since libzmq may be reading them.</summary>
    public Span<byte> GetWritableSpan()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_handle.InFlight != 0)
            throw new InvalidOperationException($"{_handle.InFlight} message(s) using this buffer are still in flight; it cannot be changed yet");
        return new(_handle.Pointer, _handle.Length);
    }

    internal ZmqSharedBufferHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _handle;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
        GC.SuppressFinalize(this);
    }
}
