using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// The server half of run control: a REP socket and a loop on its own thread that decodes each request map,
/// calls the handler and sends its map back. A REP socket must answer every request, so a request that does
/// not decode, or a handler that throws, is answered with <c>{v, ok: false, error}</c> and counted
/// (<see cref="Malformed"/>, <see cref="Failed"/>) — the loop itself never stops on bad input.
/// </summary>
public sealed class ReplyServer : IDisposable
{
    /// <summary>How often the loop looks at the stop flag while idle; bounds the time Dispose waits.</summary>
    private static readonly TimeSpan StopCheckInterval = TimeSpan.FromMilliseconds(50);

    private readonly ZmqSocket _socket;
    private readonly Func<IReadOnlyDictionary<string, object?>, IDictionary<string, object?>> _handler;
    private readonly MessagePackWriter _writer = new();
    private readonly List<byte[]> _frames = [];
    private Thread? _thread;
    private volatile bool _stopping;
    private long _handled, _failed, _malformed;

    /// <summary>Largest request accepted by default: run-control maps are a few kB; anything bigger is not one.</summary>
    public const long DefaultMaximumRequestBytes = 1 << 20;

    /// <param name="bindAddress">e.g. <c>tcp://127.0.0.1:5556</c>, or port <c>*</c> and read <see cref="Endpoint"/>.</param>
    /// <param name="handler">Turns a request map into the reply map; runs on the server's thread.</param>
    /// <param name="maximumRequestBytes">A peer announcing a larger request is disconnected before it is buffered (the token is checked only after decoding).</param>
    public ReplyServer(ZmqContext context, string bindAddress, Func<IReadOnlyDictionary<string, object?>, IDictionary<string, object?>> handler,
        long maximumRequestBytes = DefaultMaximumRequestBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        _socket = context.CreateSocket(ZmqSocketType.Rep);
        try
        {
            _socket.MaximumMessageSize = maximumRequestBytes;
            _socket.Bind(bindAddress);
            Endpoint = _socket.LastEndpoint;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>The bound endpoint with its port resolved.</summary>
    public string Endpoint { get; }

    /// <summary>Requests answered by the handler.</summary>
    public long Handled => Interlocked.Read(ref _handled);

    /// <summary>Requests whose handler threw (answered with ok: false).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Requests that were not one MessagePack map (answered with ok: false).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>The latest malformed request or handler failure, for the log.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts serving on a background thread; from now on only that thread touches the socket.</summary>
    public void Start()
    {
        if (_thread is not null) throw new InvalidOperationException("the server is already started");
        _thread = new Thread(Serve) { IsBackground = true, Name = $"reply-server {Endpoint}" };
        _thread.Start();
    }

    private void Serve()
    {
        while (!_stopping)
        {
            if (!_socket.TryReceiveMultipart(_frames, StopCheckInterval))
            {
                if (_socket.ContextTerminated) return;
                continue;
            }
            _writer.Reset();
            Answer();
            // REP accepts exactly one reply here, so this never waits; false only when the context is ending.
            if (!_socket.TrySend(_writer.WrittenSpan, more: false, dontWait: true) && _socket.ContextTerminated) return;
        }
    }

    private void Answer()
    {
        Dictionary<string, object?> request;
        try
        {
            if (_frames.Count != 1) throw new FormatException($"request has {_frames.Count} frames; expected one");
            request = MessagePackValue.ReadMap(_frames[0]);
        }
        catch (FormatException e)
        {
            Interlocked.Increment(ref _malformed);
            WriteError($"malformed request: {e.Message}");
            return;
        }
        try
        {
            var reply = _handler(request);
            MessagePackValue.Write(_writer, reply);
            Interlocked.Increment(ref _handled);
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _failed);
            _writer.Reset();
            WriteError($"{e.GetType().Name}: {e.Message}");
        }
    }

    private void WriteError(string error)
    {
        LastError = error;
        _writer.WriteMapHeader(3);
        _writer.WriteKey("v"u8);
        _writer.WriteInt64(SchemaVersion.Current);
        _writer.WriteKey("ok"u8);
        _writer.WriteBoolean(false);
        _writer.WriteKey("error"u8);
        _writer.WriteString(error);
    }

    /// <summary>Stops the loop (within <see cref="StopCheckInterval"/>) and closes the socket.</summary>
    public void Dispose()
    {
        _stopping = true;
        _thread?.Join();
        _socket.Dispose();
    }
}
