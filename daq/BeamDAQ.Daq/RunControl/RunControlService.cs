using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Configuration;
using BeamDAQ.Daq.Digitizers;
using Serilog;

namespace BeamDAQ.Daq.RunControl;

/// <summary>
/// The front end's run state machine under run control (docs/run-control.md). Every command is safe to repeat:
/// <c>start</c> of the run already going and <c>stop</c> when nothing runs change nothing. A run that ends on its own
/// (event limit) returns to Configured; one that ends in a failure (disk full, device lost, settings changed) enters
/// Error with that cause until <c>reset</c>.
/// </summary>
/// <remarks>Thread-safe: commands come from the reply thread, run ends from the acquisition thread.</remarks>
public sealed class RunControlService
{
    /// <summary>Configuration sections <c>configure</c> may override; the others are fixed while serving (sockets are bound).</summary>
    public static readonly IReadOnlySet<string> ConfigurableSections = new HashSet<string>(StringComparer.Ordinal)
    {
        "digitizer", "simulator", "output", "watchdog_s",
    };

    private readonly Lock _gate = new();
    private readonly FrontEnd _frontEnd;
    private readonly Func<IReadOnlyDictionary<string, object?>?, DaqConfiguration> _load;
    private readonly ILogger _log;
    private RunControlState _state = RunControlState.Idle;
    private string? _error;

    /// <param name="load">Loads the daq's configuration with run control's overrides on top (null: none); throws <see cref="ConfigurationException"/>.</param>
    public RunControlService(FrontEnd frontEnd, Func<IReadOnlyDictionary<string, object?>?, DaqConfiguration> load, ILogger log)
    {
        _frontEnd = frontEnd;
        _load = load;
        _log = log;
        frontEnd.RunEnded += OnRunEnded;
    }

    public RunControlState State { get { lock (_gate) return _state; } }

    /// <summary>Why the front end is in Error (null otherwise).</summary>
    public string? Error { get { lock (_gate) return _error; } }

    public CommandResult Ping()
    {
        var status = _frontEnd.Status();
        return CommandResult.Done(new() { ["run"] = status.Run });
    }

    public CommandResult Status()
    {
        var s = _frontEnd.Status();
        return CommandResult.Done(new()
        {
            ["run"] = s.Run,
            ["events"] = s.Events,
            ["missed"] = s.Missed,
            ["dead_time_fraction"] = s.DeadTimeFraction,
            ["bytes_written"] = s.BytesWritten,
            ["file"] = s.File,
            ["device_state"] = s.DeviceState.ToWire(),
            ["error"] = Error,
            ["dropped"] = (ulong)Math.Max(0, s.Dropped),
            ["trigger_rate_hz"] = s.TriggerRateHz,
            ["device_losses"] = (long)s.DeviceLosses,
        });
    }

    public CommandResult Configure(IReadOnlyDictionary<string, object?>? overrides)
    {
        lock (_gate)
        {
            switch (_state)
            {
                case RunControlState.Running or RunControlState.Stopping:
                    return CommandResult.Refused($"configure is not allowed while {_state}: stop the run first (allowed in Idle and Configured)");
                case RunControlState.Error:
                    return CommandResult.Refused($"configure is not allowed in Error ({_error}): reset first");
            }
            if (overrides is not null)
            {
                var fixedKeys = overrides.Keys.Where(k => !ConfigurableSections.Contains(k.Split('.')[0])).ToList();
                if (fixedKeys.Count > 0)
                    return CommandResult.Refused($"configure cannot change {string.Join(", ", fixedKeys.Select(k => $"'{k}'"))} while serving " +
                        $"(the sockets and timers are set at start-up); allowed sections: {string.Join(", ", ConfigurableSections.Order())}");
                // File names from the network: checked before anything is loaded, opened or created.
                try
                {
                    if (RemotePaths.Check(overrides, _load(null).OutputDirectory) is { } refused)
                        return CommandResult.Refused(refused);
                }
                catch (ConfigurationException e)
                {
                    return CommandResult.Refused(e.Message);
                }
            }

            DaqConfiguration configuration;
            try
            {
                configuration = _load(overrides);
            }
            catch (ConfigurationException e)
            {
                return CommandResult.Refused(e.Message);
            }

            try
            {
                var applied = _frontEnd.Configure(configuration);
                _state = RunControlState.Configured;
                return CommandResult.Done(new() { ["applied"] = AppliedSettingsMap.ToMap(applied) });
            }
            catch (DigitizerSettingsException e)
            {
                return CommandResult.Refused(e.Message);
            }
            catch (Exception e) when (e is DigitizerUnavailableException or DigitizerGoneException or Digitizers.Hs4.Interop.LibTiePieException)
            {
                EnterError($"digitizer: {e.Message}");
                return CommandResult.Refused(e.Message);
            }
        }
    }

    public CommandResult Start(uint run, IReadOnlyDictionary<string, object?>? meta, ulong? eventLimit)
    {
        lock (_gate)
        {
            var current = _frontEnd.Status();
            switch (_state)
            {
                case RunControlState.Running when current.Run == run:
                    return CommandResult.Done(new() { ["run"] = run, ["file"] = current.File }); // a repeated start changes nothing
                case RunControlState.Running or RunControlState.Stopping:
                    return CommandResult.Refused($"run {current.Run} is in progress; stop it before starting run {run}");
                case RunControlState.Idle:
                    return CommandResult.Refused("start is allowed in Configured only: configure first");
                case RunControlState.Error:
                    return CommandResult.Refused($"start is not allowed in Error ({_error}): reset and configure first");
            }
            if (run == 0) return CommandResult.Refused("'run' = 0 is not allowed: run numbers start at 1");
            try
            {
                var started = _frontEnd.StartRun(run, meta, eventLimit);
                _state = RunControlState.Running;
                return CommandResult.Done(new() { ["run"] = started.Run, ["file"] = started.File });
            }
            catch (RunRefusedException e)
            {
                return CommandResult.Refused(e.Message);
            }
        }
    }

    public CommandResult Stop(string reason)
    {
        lock (_gate)
        {
            if (_state != RunControlState.Running)
            {
                var last = _frontEnd.LastRun;
                return CommandResult.Done(last is null ? new() { ["run"] = null } : EndKeys(last)); // nothing runs: nothing changes
            }
            _state = RunControlState.Stopping;
        }
        // Outside the lock: the run's end is reported from its own thread, which takes the lock.
        var summary = _frontEnd.StopRun(reason);
        lock (_gate)
        {
            if (summary is not null && summary.IsFailure) EnterError($"run {summary.Run} ended: {summary.Reason}");
            else if (_state == RunControlState.Stopping) _state = RunControlState.Configured;
            return summary is null ? CommandResult.Done(new() { ["run"] = null }) : CommandResult.Done(EndKeys(summary));
        }
    }

    public CommandResult Reset()
    {
        lock (_gate)
        {
            if (_state is RunControlState.Running or RunControlState.Stopping)
                return CommandResult.Refused($"reset is not allowed while {_state}: stop the run first");
            _frontEnd.CloseDevice();
            if (_state == RunControlState.Error) _log.Information("run control: reset from Error ({Cause})", _error);
            _state = RunControlState.Idle;
            _error = null;
            return CommandResult.Done();
        }
    }

    private void OnRunEnded(RunSummary summary)
    {
        lock (_gate)
        {
            if (_state != RunControlState.Running) return; // a stop is handling it
            if (summary.IsFailure) EnterError($"run {summary.Run} ended: {summary.Reason}");
            else _state = RunControlState.Configured;
        }
    }

    private void EnterError(string cause)
    {
        _state = RunControlState.Error;
        _error = cause;
        _log.Error("run control: Error: {Cause}", cause);
    }

    private static Dictionary<string, object?> EndKeys(RunSummary s) => new()
    {
        ["run"] = s.Run,
        ["events"] = s.Events,
        ["missed"] = s.Missed,
        ["file"] = s.File,
        ["reason"] = s.Reason,
    };
}
