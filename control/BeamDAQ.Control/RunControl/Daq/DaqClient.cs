using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Control.RunControl.Daq;

/// <summary>
/// Commands the front end over ZeroMQ REQ/REP (docs/run-control.md). Every request is <c>{v, cmd, id, ...}</c> with a
/// fresh id; a lost reply is retried on a fresh socket with the same bytes, hence the same id, so the daq answers the
/// repeat from its reply cache instead of acting twice. Running out of attempts is an expected outcome
/// (<see cref="DaqReplyKind.Unreachable"/>) with the transport's explanation.
/// </summary>
/// <remarks>Thread-safe: requests are serialised (a REQ socket has one request in flight).</remarks>
public sealed class DaqClient : IDisposable
{
    private readonly Lock _gate = new();
    private readonly RequestClient _queries;
    private readonly RequestClient _commands;
    private readonly Func<string> _newId;
    private long _sent;

    /// <param name="newId">Request ids; unique across control processes (the daq caches replies by id). Default: a GUID.</param>
    public DaqClient(ZmqContext context, DaqClientOptions options, Func<string>? newId = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _newId = newId ?? (() => Guid.NewGuid().ToString("N"));
        _queries = new RequestClient(context, options.Endpoint, options.QueryTimeout, options.Retries);
        try
        {
            _commands = new RequestClient(context, options.Endpoint, options.CommandTimeout, options.Retries);
        }
        catch
        {
            _queries.Dispose();
            throw;
        }
    }

    public DaqClientOptions Options { get; }
    public string Endpoint => Options.Endpoint;

    /// <summary>Requests sent (a retried request counts once).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Sockets re-created after lost replies.</summary>
    public long SocketsRecreated { get { lock (_gate) return _queries.SocketsRecreated + _commands.SocketsRecreated; } }

    public DaqReply Ping() => Send(DaqCommands.Ping, null, query: true);

    public DaqReply Status() => Send(DaqCommands.Status, null, query: true);

    /// <param name="overrides">Overrides of the daq's configuration (nested maps), or null for its own file.</param>
    public DaqReply Configure(IDictionary<string, object?>? overrides) =>
        Send(DaqCommands.Configure, overrides is null ? null : new() { ["config"] = overrides }, query: false);

    /// <param name="eventsLimit">Sent as <c>events</c> so that a daq which supports it ends the run itself exactly there.</param>
    public DaqReply Start(long run, IDictionary<string, object?> meta, long? eventsLimit = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(run, 1);
        var keys = new Dictionary<string, object?> { ["run"] = (ulong)run, ["meta"] = meta };
        if (eventsLimit is { } limit) keys["events"] = (ulong)limit;
        return Send(DaqCommands.Start, keys, query: false);
    }

    public DaqReply Stop(string reason) => Send(DaqCommands.Stop, new() { ["reason"] = reason }, query: false);

    public DaqReply Reset() => Send(DaqCommands.Reset, null, query: false);

    /// <summary>Sends one command and interprets the reply.</summary>
    public DaqReply Send(string command, Dictionary<string, object?>? keys, bool query)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        string id = _newId();
        var request = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["v"] = SchemaVersion.Current,
            ["cmd"] = command,
            ["id"] = id,
        };
        if (keys is not null)
            foreach (var (key, value) in keys)
                request[key] = value;
        if (Options.Token is { } token)
            request["token"] = token;

        bool answered;
        Dictionary<string, object?>? reply;
        string? failure;
        lock (_gate)
        {
            var client = query ? _queries : _commands;
            Interlocked.Increment(ref _sent);
            answered = client.TryRequest(request, out reply);
            failure = client.LastFailure;
        }
        if (!answered || reply is null)
            // The transport says whether nothing came back or what came back was not a map.
            return new DaqReply(command, id, failure?.Contains("not a MessagePack map") == true || failure?.Contains("frames") == true
                ? DaqReplyKind.Malformed : DaqReplyKind.Unreachable, Empty, failure ?? $"no reply from {Endpoint}");
        if (reply.GetValueOrDefault("ok") is not bool ok)
            return new DaqReply(command, id, DaqReplyKind.Malformed, reply, $"the reply from {Endpoint} has no boolean 'ok'");
        if (ok)
            return new DaqReply(command, id, DaqReplyKind.Ok, reply, null);
        string error = reply.GetValueOrDefault("error") as string ?? "(no error text)";
        return new DaqReply(command, id, DaqReplyKind.Refused, reply, error);
    }

    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

    public void Dispose()
    {
        lock (_gate)
        {
            _queries.Dispose();
            _commands.Dispose();
        }
    }
}
