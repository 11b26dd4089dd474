using BeamDAQ.Protocol.Transport.Native;

namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// A libzmq context: the I/O threads and the owner of all sockets created from it. Disposing it wakes any
/// blocked call on its sockets (they return "terminated" as a value), closes every socket still open, then
/// terminates the context, which waits for each socket's pending messages as long as its
/// <see cref="ZmqSocket.Linger"/> allows.
/// </summary>
/// <remarks>Creating sockets and disposing are thread-safe; a socket itself belongs to one thread at a time.</remarks>
public sealed class ZmqContext : IDisposable
{
    private readonly ZmqContextHandle _handle;
    private readonly Lock _gate = new();
    private readonly HashSet<ZmqSocket> _sockets = [];
    private bool _disposed;

    /// <param name="ioThreads">libzmq I/O threads; one moves well over 1 GB/s, so more only helps many connections.</param>
    public ZmqContext(int ioThreads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ioThreads, 1);
        _handle = ZmqChecked.NewContext();
        if (ioThreads != 1) ZmqChecked.SetContextOption(_handle, ZmqConstants.ZMQ_IO_THREADS, ioThreads);
    }

    /// <summary>
    /// Linger given to each new socket. libzmq's own default is infinite, which would let a socket with
    /// messages for a peer that never comes hang <see cref="Dispose"/> forever; one second flushes normal
    /// traffic and still bounds shutdown.
    /// </summary>
    public TimeSpan DefaultLinger { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The libzmq library actually loaded.</summary>
    public static Version LibraryVersion
    {
        get
        {
            var (major, minor, patch) = ZmqChecked.Version();
            return new Version(major, minor, patch);
        }
    }

    public ZmqSocket CreateSocket(ZmqSocketType type)
    {
        if (!Enum.IsDefined(type)) throw new ArgumentOutOfRangeException(nameof(type), type, "not a supported socket type");
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var socket = new ZmqSocket(this, ZmqChecked.NewSocket(_handle, (int)type), type);
            _sockets.Add(socket);
            return socket;
        }
    }

    internal ZmqContextHandle Handle => _handle;

    internal void Forget(ZmqSocket socket)
    {
        lock (_gate) _sockets.Remove(socket);
    }

    public void Dispose()
    {
        ZmqSocket[] open;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            open = [.. _sockets];
            _sockets.Clear();
        }
        // Wake blocked receives/sends/polls on other threads first, so closing their sockets cannot wait on them.
        ZmqChecked.ShutdownContext(_handle);
        foreach (var socket in open) socket.Dispose();
        // zmq_ctx_term runs when the last socket handle has released its reference: here, unless another
        // thread is still inside a call on one of these sockets, in which case it runs when that call returns.
        _handle.Dispose();
    }
}
