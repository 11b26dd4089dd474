using System.Diagnostics.CodeAnalysis;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// The client half of run control (docs/run-control.md): one request, one reply, with a time-out. A REQ socket
/// that has sent and not heard back is stuck, so on a lost reply the socket is closed and a new one connected
/// ("lazy pirate") and the same bytes are sent again, up to <see cref="Retries"/> times. Resending the same
/// bytes keeps the request's <c>id</c>, so the server can answer a repeat without acting twice.
/// Exhausting the retries is an expected outcome (the front end is down): the request returns false and
/// <see cref="LastFailure"/> says what happened.
/// </summary>
/// <remarks>Not thread-safe: one caller at a time.</remarks>
public sealed class RequestClient : IDisposable
{
    private readonly ZmqContext _context;
    private readonly List<byte[]> _frames = [];
    private readonly MessagePackWriter _writer = new();
    private ZmqSocket _socket;

    /// <param name="endpoint">The server, e.g. <c>tcp://127.0.0.1:5556</c>.</param>
    /// <param name="timeout">How long each attempt waits for the reply.</param>
    /// <param name="retries">Further attempts after the first, each on a fresh socket.</param>
    public RequestClient(ZmqContext context, string endpoint, TimeSpan timeout, int retries = 2)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        if (timeout <= TimeSpan.Zero || timeout == System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "a request time-out must be positive and finite");
        _context = context;
        Endpoint = endpoint;
        Timeout = timeout;
        Retries = retries;
        _socket = NewSocket();
    }

    public string Endpoint { get; }
    public TimeSpan Timeout { get; }
    public int Retries { get; }

    /// <summary>Sockets closed and re-created after a lost reply, over the client's lifetime.</summary>
    public long SocketsRecreated { get; private set; }

    /// <summary>Requests that got no reply within all their attempts.</summary>
    public long Failed { get; private set; }

    /// <summary>What went wrong with the latest failed request; null after a success.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>Sends <paramref name="request"/> (one frame) and waits for the one-frame reply.</summary>
    public bool TryRequest(ReadOnlySpan<byte> request, [NotNullWhen(true)] out byte[]? reply)
    {
        for (int attempt = 0; attempt <= Retries; attempt++)
        {
            if (attempt > 0) Recreate();
            // A fresh REQ socket always accepts one request (it queues until the connection is up).
            if (!_socket.TrySend(request, more: false, dontWait: true))
            {
                LastFailure = $"could not queue the request to {Endpoint}";
                continue;
            }
            if (_socket.TryReceiveMultipart(_frames, Timeout))
            {
                if (_frames.Count != 1)
                {
                    Failed++;
                    LastFailure = $"reply from {Endpoint} has {_frames.Count} frames; expected one";
                    reply = null;
                    return false;
                }
                reply = _frames[0];
                LastFailure = null;
                return true;
            }
            if (_socket.ContextTerminated) break;
            LastFailure = $"no reply from {Endpoint} within {Timeout.TotalMilliseconds:0} ms (attempt {attempt + 1} of {Retries + 1})";
        }
        // Leave a usable socket behind: this one is still waiting for a reply that may never come.
        if (!_socket.ContextTerminated) Recreate();
        Failed++;
        reply = null;
        return false;
    }

    /// <summary>
    /// Sends a map request (<c>{v, cmd, id, ...}</c>) and decodes the map reply. A reply that is not a map is a
    /// failure, reported in <see cref="LastFailure"/> with the decoder's offset.
    /// </summary>
    public bool TryRequest(IDictionary<string, object?> request, [NotNullWhen(true)] out Dictionary<string, object?>? reply)
    {
        ArgumentNullException.ThrowIfNull(request);
        _writer.Reset();
        MessagePackValue.Write(_writer, request);
        reply = null;
        if (!TryRequest(_writer.WrittenSpan, out byte[]? bytes)) return false;
        try
        {
            reply = MessagePackValue.ReadMap(bytes);
            return true;
        }
        catch (FormatException e)
        {
            Failed++;
            LastFailure = $"reply from {Endpoint} ({bytes.Length} bytes) is not a MessagePack map: {e.Message}";
            return false;
        }
    }

    private void Recreate()
    {
        _socket.Dispose();
        _socket = NewSocket();
        SocketsRecreated++;
    }

    private ZmqSocket NewSocket()
    {
        var socket = _context.CreateSocket(ZmqSocketType.Req);
        try
        {
            // An abandoned request must not hold up shutdown.
            socket.Linger = TimeSpan.Zero;
            socket.Connect(Endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _socket.Dispose();
}
