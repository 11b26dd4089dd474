using BeamDAQ.Protocol.Hosting;
using System.Globalization;
using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Protocol.Events;
using Serilog;

namespace BeamDAQ.Daq.RunControl;

/// <summary>
/// Turns a run-control request <c>{v, cmd, id, ...}</c> into a reply <c>{v, ok, state, ...}</c> (docs/run-control.md):
/// checks the token when one is required, checks every key's type and names it when wrong, and answers a repeated
/// <c>id</c> with the reply it already gave, so a retried request never acts twice. The token is never logged nor
/// echoed.
/// </summary>
/// <remarks>Called from the one reply thread; the reply cache has its own lock anyway.</remarks>
public sealed class RunControlHandler
{
    public const int ReplyCacheSize = 1024;
    public const int MaxIdLength = 256;
    private static readonly string[] Commands = ["ping", "status", "configure", "start", "stop", "reset"];

    private readonly RunControlService _service;
    private readonly string? _token;
    private readonly ILogger _log;
    private readonly ReplyCache _replies = new(ReplyCacheSize);

    /// <param name="token">The secret every request must carry as <c>token</c>; null when none is required.</param>
    public RunControlHandler(RunControlService service, string? token, ILogger log)
    {
        _service = service;
        _token = token;
        _log = log;
    }

    /// <summary>Requests answered from the reply cache (retries).</summary>
    public long Repeats { get; private set; }

    /// <summary>Requests refused for a missing or wrong token.</summary>
    public long Unauthorised { get; private set; }

    public IDictionary<string, object?> Handle(IReadOnlyDictionary<string, object?> request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_token is not null && !EndpointSecurity.TokenMatches(request.GetValueOrDefault("token") as string, _token))
        {
            Unauthorised++;
            _log.Warning("run control: request without a valid token refused ({Command})", request.GetValueOrDefault("cmd") as string ?? "?");
            return Reply(CommandResult.Refused("this run control requires the configured 'token' in every request; it is missing or wrong"));
        }
        if (request.TryGetValue("v", out var version) && !IsInteger(version, SchemaVersion.Current))
            return Reply(CommandResult.Refused($"request 'v' = {Show(version)} is not supported: this front end speaks v={SchemaVersion.Current}"));

        if (!TryReadId(request, out string? id, out string? idProblem))
            return Reply(CommandResult.Refused(idProblem!));
        if (request.GetValueOrDefault("cmd") is not string command || Array.IndexOf(Commands, command) < 0)
            return Reply(CommandResult.Refused($"request 'cmd' = {Show(request.GetValueOrDefault("cmd"))} is not a command; allowed: {string.Join(", ", Commands)}"));

        lock (_replies)
        {
            if (_replies.TryGet(id!, out var cached))
            {
                if (cached.Command != command)
                    return Reply(CommandResult.Refused($"request id {id} was already used for '{cached.Command}'; a new command needs a new id"));
                Repeats++;
                _log.Debug("run control: repeated id {Id} ({Command}) answered from the cache", id, command);
                return cached.Reply;
            }
        }

        var reply = Reply(Execute(command, request));
        lock (_replies) _replies.Add(id!, new CachedReply(command, reply));
        return reply;
    }

    private CommandResult Execute(string command, IReadOnlyDictionary<string, object?> request)
    {
        switch (command)
        {
            case "ping":
                return _service.Ping();
            case "status":
                return _service.Status();
            case "configure":
            {
                var config = request.GetValueOrDefault("config");
                if (config is not null and not IReadOnlyDictionary<string, object?>)
                    return CommandResult.Refused($"configure 'config' = {Show(config)}; allowed: a map of configuration overrides (e.g. {{simulator: {{beam: {{lambda: 2.2}}}}}}) or nothing");
                _log.Information("run control: configure{Overrides}", config is null ? "" : " with " + string.Join(", ", ((IReadOnlyDictionary<string, object?>)config).Keys));
                return _service.Configure((IReadOnlyDictionary<string, object?>?)config);
            }
            case "start":
            {
                if (!TryUnsigned(request.GetValueOrDefault("run"), uint.MaxValue, out ulong run) || run == 0)
                    return CommandResult.Refused($"start 'run' = {Show(request.GetValueOrDefault("run"))}; allowed: the run number, an integer 1–{uint.MaxValue}");
                var meta = request.GetValueOrDefault("meta");
                if (meta is not null and not IReadOnlyDictionary<string, object?>)
                    return CommandResult.Refused($"start 'meta' = {Show(meta)}; allowed: a map of run metadata, or nothing");
                ulong? limit = null;
                if (request.GetValueOrDefault("events") is { } events)
                {
                    if (!TryUnsigned(events, ulong.MaxValue, out ulong n) || n == 0)
                        return CommandResult.Refused($"start 'events' = {Show(events)}; allowed: an integer ≥ 1 (end the run after that many events), or nothing");
                    limit = n;
                }
                _log.Information("run control: start run {Run}{Limit}", run, limit is { } l ? $" ({l} events)" : "");
                return _service.Start((uint)run, (IReadOnlyDictionary<string, object?>?)meta, limit);
            }
            case "stop":
            {
                var reason = request.GetValueOrDefault("reason");
                if (reason is not null and not string)
                    return CommandResult.Refused($"stop 'reason' = {Show(reason)}; allowed: a string (default \"{RunEndReasons.Operator}\")");
                _log.Information("run control: stop ({Reason})", reason ?? RunEndReasons.Operator);
                return _service.Stop(reason as string is { Length: > 0 } r ? r : RunEndReasons.Operator);
            }
            default:
                _log.Information("run control: reset");
                return _service.Reset();
        }
    }

    private Dictionary<string, object?> Reply(CommandResult result)
    {
        var reply = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["v"] = SchemaVersion.Current,
            ["ok"] = result.Ok,
            ["state"] = _service.State.ToString(),
        };
        if (!result.Ok) reply["error"] = result.Error;
        foreach (var (key, value) in result.Keys) reply.TryAdd(key, value);
        return reply;
    }

    private static bool TryReadId(IReadOnlyDictionary<string, object?> request, out string? id, out string? problem)
    {
        problem = null;
        switch (request.GetValueOrDefault("id"))
        {
            case string s when s.Length is > 0 and <= MaxIdLength:
                id = "s:" + s;
                return true;
            case long or ulong:
                id = "i:" + Convert.ToString(request["id"], CultureInfo.InvariantCulture);
                return true;
            case var other:
                id = null;
                problem = $"request 'id' = {Show(other)}; allowed: a string of 1–{MaxIdLength} characters or an integer, chosen by the client (a retry carries the same id)";
                return false;
        }
    }

    private static bool TryUnsigned(object? value, ulong max, out ulong result)
    {
        switch (value)
        {
            case long l when l >= 0 && (ulong)l <= max:
                result = (ulong)l;
                return true;
            case ulong u when u <= max:
                result = u;
                return true;
            default:
                result = 0;
                return false;
        }
    }

    private static bool IsInteger(object? value, long expected) => value switch
    {
        long l => l == expected,
        ulong u => u == (ulong)expected,
        _ => false,
    };

    private static string Show(object? value) => value switch
    {
        null => "nil (absent)",
        string s => $"\"{(s.Length <= 40 ? s : s[..40] + "…")}\" (string)",
        IFormattable f => $"{f.ToString(null, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        IReadOnlyDictionary<string, object?> => "a map",
        System.Collections.IEnumerable => "an array",
        _ => value.GetType().Name,
    };

    private sealed record CachedReply(string Command, Dictionary<string, object?> Reply);

    /// <summary>The last <paramref name="capacity"/> replies by request id (oldest forgotten first).</summary>
    private sealed class ReplyCache(int capacity)
    {
        private readonly Dictionary<string, CachedReply> _byId = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();

        public bool TryGet(string id, out CachedReply reply) => _byId.TryGetValue(id, out reply!);

        public void Add(string id, CachedReply reply)
        {
            if (!_byId.TryAdd(id, reply)) return;
            _order.Enqueue(id);
            while (_order.Count > capacity) _byId.Remove(_order.Dequeue());
        }
    }
}
