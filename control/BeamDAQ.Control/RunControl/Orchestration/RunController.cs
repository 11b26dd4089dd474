using System.Text.Json;
using BeamDAQ.Control.Alarms;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.RunControl.Daq;
using BeamDAQ.Control.RunControl.Recorders;
using BeamDAQ.Control.RunControl.Settings;
using BeamDAQ.Control.RunControl.State;
using BeamDAQ.Control.RunControl.Supervision;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;
using Serilog;

namespace BeamDAQ.Control.RunControl.Orchestration;

/// <summary>
/// Runs runs: the state machine, the front end (commands and heartbeats), the facility read at the start and the
/// catalog, orchestrated so that every run's settings are recorded without typing them twice and nothing is ever
/// left half-recorded. The operations are serialised by one lock; they block on the front end and the facility
/// (bounded by their time-outs). See docs/run-control.md for the sequence.
/// <list type="bullet">
/// <item>start: front end alive → exit collimator set and SETTLED → facility read → daq configure → run number
///   allocated with the settings → daq start with the meta map → file recorded → Running.</item>
/// <item>stop (operator, events limit): Stopping → daq stop → counts, dead time, file size and SHA-256 → run ended → Configured.</item>
/// <item>front end silent past the heartbeat time-out and not answering a ping → Error with the cause and the daq-lost
///   alarm, the run left open (its fate is unknown); when the front end answers again still recording it, the run is
///   resumed (Running); if it answers without it, the run is closed (its run.end, or aborted with what its file holds);
///   the operator's reset closes it as aborted.</item>
/// <item>control node restart: the daq's status decides — a run it still records is adopted, otherwise runs left
///   'running' by the dead control process are recovered as aborted.</item>
/// </list>
/// </summary>
public sealed partial class RunController
{
    private readonly Lock _gate = new();
    private readonly RunStateMachine _machine;
    private readonly HeartbeatWatch _heartbeats;
    private readonly DigitizerLossTracker _digitizer = new();
    private readonly RunEndInbox _runEnds = new();
    private readonly IRunCatalog _catalog;
    private readonly DaqClient _daq;
    private readonly IFacilityReader? _facility;
    private readonly AlarmEngine? _alarms;
    private readonly SlowControlRecorder? _readings;
    private readonly IRunFileInspector _inspector;
    private readonly IClock _clock;
    private readonly ILogger _log;
    private readonly RunControlOptions _options;

    // The run being recorded (Running/Stopping): what is known about it beyond the state machine.
    private string? _runFile;
    private long? _eventsLimit;
    private Dictionary<string, object?>? _controlConfiguration;
    private DateTimeOffset _lastProgressAt;
    private RunEndSummary? _lastRun;
    private ErrorKind _errorKind;
    private long _currentRun;  // 0 = none; read without the lock by the recorders
    private DateTimeOffset? _lastContradictionCheck;
    private bool _stopRequested;
    private bool _runBeginRecorded;
    private volatile bool _contactDegraded = true;  // until the first heartbeat says otherwise

    public RunController(IRunCatalog catalog, DaqClient daq, IFacilityReader? facility, AlarmEngine? alarms,
        SlowControlRecorder? readings, IClock clock, ILogger log, RunControlOptions? options = null, IRunFileInspector? inspector = null)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _daq = daq ?? throw new ArgumentNullException(nameof(daq));
        _facility = facility;
        _alarms = alarms;
        _readings = readings;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _log = log.ForContext("Component", "run-control");
        _options = options ?? new RunControlOptions();
        _inspector = inspector ?? RunFileDigest.Instance;
        _machine = new RunStateMachine(clock);
        _heartbeats = new HeartbeatWatch(_options.HeartbeatTimeout);
    }

    /// <summary>Called after every state change (outside no lock guarantees: keep it quick; the node publishes it).</summary>
    public event Action<StateTransition>? StateChanged;

    /// <summary>The run being recorded, for the recorders that attach readings and alarms to it (lock-free).</summary>
    public long? CurrentRun => Interlocked.Read(ref _currentRun) is var run and > 0 ? run : null;

    public RunStateSnapshot State { get { lock (_gate) return _machine.Snapshot; } }

    public ControlStatus Status()
    {
        lock (_gate)
        {
            var now = _clock.UtcNow;
            return new ControlStatus
            {
                State = _machine.Snapshot,
                History = _machine.History,
                File = _machine.Run is null ? null : _runFile,
                EventsLimit = _machine.Run is null ? null : _eventsLimit,
                Daq = _heartbeats.Latest,
                HeartbeatAge = _heartbeats.AgeAt(now),
                HeartbeatsReceived = _heartbeats.Received,
                LastRun = _lastRun,
                DaqEndpoint = _daq.Endpoint,
            };
        }
    }

    /// <summary>What put run control into Error: decides whether it may recover by itself.</summary>
    private enum ErrorKind
    {
        None,
        /// <summary>The front end stopped answering: recovers when it is back and not running.</summary>
        FrontEndLost,
        /// <summary>
        /// The front end stopped answering during a run: the run stays open (the daq may still be recording it) until
        /// it answers again — resumed if it still records the run, closed if not — or the operator resets.
        /// </summary>
        FrontEndLostDuringRun,
        /// <summary>Anything else (a refused stop, a catalog failure, a run nobody owns): the operator resets.</summary>
        NeedsOperator,
    }

    // ---- shared helpers (called with the lock held) ----

    private void Apply(TransitionResult result)
    {
        if (!result.Accepted)
        {
            // The controller only asks for transitions its own checks allow: a refusal here is a bug worth seeing.
            _log.Error("run control: state machine refused: {Refusal}", result.Refusal);
            return;
        }
        var transition = result.Transition!;
        if (transition.To == RunControlState.Error)
            _log.Error("run control: {From} → Error: {Cause}", transition.From, transition.Reason);
        else
            _log.Information("run control: {From} → {To}{Run}: {Reason}", transition.From, transition.To,
                transition.Run is { } r ? $" (run {r})" : "", transition.Reason);
        Interlocked.Exchange(ref _currentRun, _machine.State is RunControlState.Running or RunControlState.Stopping ? _machine.Run ?? 0 : 0);
        try
        {
            StateChanged?.Invoke(transition);
        }
        catch (Exception e)
        {
            _log.Error(e, "run control: state-change listener failed");
        }
    }

    private void Fail(string cause, ErrorKind kind)
    {
        var result = _machine.Fail(cause);
        if (result.Accepted) _errorKind = kind;
        Apply(result);
    }

    private void ClearRun()
    {
        _runFile = null;
        _eventsLimit = null;
        _controlConfiguration = null;
        _stopRequested = false;
        _runBeginRecorded = false;
        _lastContradictionCheck = null;
    }

    private void ReportContact(FrontEndContact contact, string message)
    {
        _contactDegraded = contact != FrontEndContact.Ok;
        _alarms?.Evaluate(new FrontEndContactInput(_clock.UtcNow, contact, message));
    }

    /// <summary>The catalog's JSON text of a map (binaries base64, non-finite numbers as strings).</summary>
    private static string Json(IReadOnlyDictionary<string, object?> map) => WireMessages.ToJson(map);

    /// <summary>The run's configuration document: the daq's own configuration (from run.begin) beside run control's.</summary>
    private string ConfigurationJson(IReadOnlyDictionary<string, object?>? daqConfiguration)
    {
        var document = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (daqConfiguration is not null) document["daq"] = daqConfiguration;
        document["control"] = _controlConfiguration ?? new Dictionary<string, object?>();
        return Json(document);
    }

    /// <summary>The daq's full configuration and applied settings of run.begin, beside run control's, into the catalog.</summary>
    private void RecordRunBegin(RunBeginMessage begin)
    {
        try
        {
            _catalog.RecordConfiguration(begin.Run, ConfigurationJson(begin.Config), Json(begin.Applied));
            _runBeginRecorded = true;
        }
        catch (Exception e) when (e is CatalogException or ArgumentException)
        {
            _log.Warning("run {Run}: configuration from run.begin not recorded: {Error}", begin.Run, e.Message);
        }
    }

    /// <summary>
    /// What a previous control process stored in the run's configuration document: its own part (kept when the daq's
    /// part is added later) and whether the daq's part is already there.
    /// </summary>
    private static (Dictionary<string, object?>? Control, bool HasDaq) StoredConfiguration(string? configurationJson)
    {
        if (configurationJson is null) return (null, false);
        try
        {
            using var document = JsonDocument.Parse(configurationJson);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, false);
            var control = root.TryGetProperty("control", out var c) && FromJson(c) is Dictionary<string, object?> map ? map : null;
            return (control, root.TryGetProperty("daq", out _));
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    private static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out long l) ? l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>The events limit a previous control process stored in the run's configuration document, if any.</summary>
    private static long? EventsLimitFrom(string? configurationJson)
    {
        if (configurationJson is null) return null;
        try
        {
            using var document = JsonDocument.Parse(configurationJson);
            return document.RootElement.TryGetProperty("control", out var control)
                && control.TryGetProperty("events_limit", out var limit) && limit.ValueKind == JsonValueKind.Number
                && limit.TryGetInt64(out long value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Plural(long count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
