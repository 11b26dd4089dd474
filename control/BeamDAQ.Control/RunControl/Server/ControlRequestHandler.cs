using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.RunControl.Orchestration;
using BeamDAQ.Control.RunControl.State;
using BeamDAQ.Protocol.Events;
using Serilog;

namespace BeamDAQ.Control.RunControl.Server;

/// <summary>
/// Turns a request map of <see cref="ControlProtocol"/> into a call on the <see cref="RunController"/> and its outcome
/// into the reply map. Checks, in this order: the token (when required), the envelope (<c>cmd</c>, <c>id</c>), a
/// repeated id (answered from the cache), unknown keys and key types. Every refusal says what was wrong and what is
/// allowed; text is carried through verbatim (a comment with quotes or SQL is just text).
/// </summary>
/// <remarks>Runs on the reply server's single thread.</remarks>
public sealed class ControlRequestHandler(RunController controller, string? token, ILogger log,
    Func<IDictionary<string, object?>>? nodeStatus = null)
{
    private readonly ReplyCache _cache = new();
    private long _refused;

    public long Repeats => _cache.Repeats;
    public long Refused => Interlocked.Read(ref _refused);

    public IDictionary<string, object?> Handle(IReadOnlyDictionary<string, object?> request)
    {
        if (token is not null && !EndpointSecurity.TokenMatches(request.GetValueOrDefault("token") as string, token))
            // Neither the expected nor the presented token appears in the reply or the log.
            return Refusal(ControlProtocol.UsageError, "the request's 'token' is missing or wrong: this endpoint is not on loopback and requires the shared token");

        if (request.GetValueOrDefault("cmd") is not string command)
            return Refusal(ControlProtocol.UsageError, $"key 'cmd' = {RequestFields.Show(request.GetValueOrDefault("cmd"))}; expected one of: {string.Join(", ", ControlProtocol.Commands)}");
        if (!ControlProtocol.Commands.Contains(command))
            return Refusal(ControlProtocol.UsageError, $"unknown command '{Truncate(command)}'; allowed: {string.Join(", ", ControlProtocol.Commands)}");
        if (request.GetValueOrDefault("id") is not string id || id.Length == 0)
            return Refusal(ControlProtocol.UsageError,
                $"key 'id' = {RequestFields.Show(request.GetValueOrDefault("id"))}; expected a non-empty string: every request carries an id so that a retry is not carried out twice");
        if (_cache.TryGet(id, out var earlier))
        {
            log.Information("control request {Command} id {Id} repeated: answered with the earlier reply", command, id);
            return earlier;
        }

        IDictionary<string, object?> reply;
        var allowed = ControlProtocol.KeysOf(command);
        var unknown = request.Keys.FirstOrDefault(k => !ControlProtocol.EnvelopeKeys.Contains(k) && !allowed.Contains(k));
        if (unknown is not null)
            reply = Refusal(ControlProtocol.UsageError,
                $"{command}: unknown key '{Truncate(unknown)}'; allowed: {(allowed.Count == 0 ? "none besides v, cmd, id, token" : string.Join(", ", allowed))}");
        else
        {
            try
            {
                reply = Dispatch(command, new RequestFields(command, request));
            }
            catch (FormatException e)
            {
                reply = Refusal(ControlProtocol.UsageError, e.Message);
            }
        }
        _cache.Add(id, reply);
        return reply;
    }

    private IDictionary<string, object?> Dispatch(string command, RequestFields f) => command switch
    {
        ControlProtocol.Ping => Reply(controller.State),
        ControlProtocol.Status => StatusReply(),
        ControlProtocol.Start => StartReply(controller.Start(new StartRequest
        {
            Operator = f.OptionalString("operator"),
            Comment = f.OptionalString("comment") ?? "",
            ExitApertureXMm = f.OptionalNumber("exit_aperture_x_mm"),
            ExitApertureYMm = f.OptionalNumber("exit_aperture_y_mm"),
            EventsLimit = f.OptionalInteger("events"),
        })),
        ControlProtocol.Stop => StopReply(controller.Stop(f.OptionalString("reason") is { Length: > 0 } reason ? reason : "operator")),
        _ => ResetReply(controller.Reset()),
    };

    private IDictionary<string, object?> StartReply(StartOutcome outcome)
    {
        if (!outcome.Started)
            return Refusal(Kind(outcome.Refusal), outcome.Error!, outcome.State, outcome.Warnings);
        var reply = Reply(outcome.State);
        reply["run"] = outcome.Run;
        reply["file"] = outcome.File;
        if (outcome.Settings is { } s) reply["settings"] = Settings(s);
        reply["warnings"] = outcome.Warnings.Cast<object?>().ToList();
        return reply;
    }

    private IDictionary<string, object?> StopReply(StopOutcome outcome)
    {
        if (outcome.Refusal != RefusalKind.None)
        {
            var refusal = Refusal(Kind(outcome.Refusal), outcome.Error!, outcome.State);
            if (outcome.Run is { } aborted) refusal["last_run"] = Summary(aborted);
            return refusal;
        }
        var reply = Reply(outcome.State);
        reply["stopped"] = outcome.Stopped;
        if (outcome.Message is { } message) reply["message"] = message;
        if (outcome.Run is { } run)
        {
            reply["run"] = run.Run;
            reply["last_run"] = Summary(run);
        }
        return reply;
    }

    private IDictionary<string, object?> ResetReply(ResetOutcome outcome) => outcome.Reset
        ? With(Reply(outcome.State), "message", outcome.Message)
        : Refusal(Kind(outcome.Refusal), outcome.Message, outcome.State);

    private IDictionary<string, object?> StatusReply()
    {
        var status = controller.Status();
        var reply = Reply(status.State);
        reply["since"] = CatalogTime.ToText(status.State.Since);
        reply["daq_endpoint"] = status.DaqEndpoint;
        reply["file"] = status.File;
        reply["events_limit"] = status.EventsLimit;
        reply["heartbeat_age_s"] = status.HeartbeatAge?.TotalSeconds;
        reply["heartbeats"] = status.HeartbeatsReceived;
        if (status.Daq is { } daq)
            reply["daq"] = new Dictionary<string, object?>
            {
                ["state"] = daq.State,
                ["run"] = daq.Run,
                ["events"] = daq.Events,
                ["missed"] = daq.Missed,
                ["trigger_rate_hz"] = daq.TriggerRateHz,
                ["dead_time_fraction"] = daq.DeadTimeFraction,
                ["bytes_written"] = daq.BytesWritten,
                ["device_state"] = daq.DeviceState,
            };
        if (status.LastRun is { } last) reply["last_run"] = Summary(last);
        reply["history"] = status.History.TakeLast(8).Select(t => (object?)new Dictionary<string, object?>
        {
            ["from"] = t.From.ToString(),
            ["to"] = t.To.ToString(),
            ["at"] = CatalogTime.ToText(t.At),
            ["run"] = t.Run,
            ["reason"] = t.Reason,
        }).ToList();
        if (nodeStatus is not null)
            foreach (var (key, value) in nodeStatus())
                reply[key] = value;
        return reply;
    }

    private static Dictionary<string, object?> Summary(RunEndSummary s) => new()
    {
        ["run"] = s.Run,
        ["state"] = s.Aborted ? "aborted" : "ended",
        ["reason"] = s.Reason,
        ["stop_utc"] = CatalogTime.ToText(s.StopUtc),
        ["events"] = s.Events,
        ["missed"] = s.Missed,
        ["dead_time_fraction"] = s.DeadTimeFraction,
        ["file"] = s.File,
        ["file_size_bytes"] = s.FileSizeBytes,
        ["file_sha256"] = s.FileSha256,
    };

    private static Dictionary<string, object?> Settings(RunSettings s)
    {
        var map = new Dictionary<string, object?>
        {
            ["beam_energy_mev"] = s.BeamEnergyMeV,
            ["magnet_current_a"] = s.MagnetCurrentA,
            ["magnet_field_gauss"] = s.MagnetFieldGauss,
            ["detector"] = s.Detector,
            ["hv_set_v"] = s.HvSetVolts,
            ["hv_measured_v"] = s.HvMeasuredVolts,
        };
        if (s.ExitCollimator is { } exit)
        {
            map["exit_aperture_x_mm"] = exit.ApertureXMm;
            map["exit_aperture_y_mm"] = exit.ApertureYMm;
        }
        if (s.EntranceCollimator is { } entrance)
        {
            map["entrance_aperture_x_mm"] = entrance.ApertureXMm;
            map["entrance_aperture_y_mm"] = entrance.ApertureYMm;
        }
        return map;
    }

    private static Dictionary<string, object?> Reply(RunStateSnapshot state)
    {
        var reply = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["v"] = SchemaVersion.Current,
            ["ok"] = true,
            ["state"] = state.State.ToString(),
            ["run"] = state.Run,
        };
        if (state.ErrorCause is { } cause) reply["cause"] = cause;
        return reply;
    }

    private Dictionary<string, object?> Refusal(string kind, string error, RunStateSnapshot? state = null, IReadOnlyList<string>? warnings = null)
    {
        Interlocked.Increment(ref _refused);
        log.Warning("control request refused ({Kind}): {Error}", kind, error);
        var reply = state is null
            ? new Dictionary<string, object?>(StringComparer.Ordinal) { ["v"] = SchemaVersion.Current, ["state"] = controller.State.State.ToString() }
            : Reply(state);
        reply["ok"] = false;
        reply["error"] = error;
        reply["error_kind"] = kind;
        if (warnings is { Count: > 0 }) reply["warnings"] = warnings.Cast<object?>().ToList();
        return reply;
    }

    private static IDictionary<string, object?> With(Dictionary<string, object?> reply, string key, object? value)
    {
        reply[key] = value;
        return reply;
    }

    private static string Kind(RefusalKind kind) => kind switch
    {
        RefusalKind.Usage => ControlProtocol.UsageError,
        RefusalKind.State => ControlProtocol.StateError,
        _ => ControlProtocol.FaultError,
    };

    private static string Truncate(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
