using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.RunControl.Daq;
using BeamDAQ.Control.RunControl.Settings;
using BeamDAQ.Control.RunControl.State;

namespace BeamDAQ.Control.RunControl.Orchestration;

public sealed partial class RunController
{
    /// <summary>
    /// Starts a run (see the class summary for the sequence). A refusal before the run number is allocated leaves
    /// nothing behind; a failure after it closes the run as aborted with the reason, so no number is left dangling.
    /// </summary>
    public StartOutcome Start(StartRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            if (request.Validate(_options.MaxApertureMm) is { } invalid)
                return Refused(RefusalKind.Usage, invalid);
            switch (_machine.State)
            {
                case RunControlState.Running or RunControlState.Stopping:
                    return Refused(RefusalKind.State, $"run {_machine.Run} is being recorded ({_machine.State}): stop it first");
                case RunControlState.Error:
                    return Refused(RefusalKind.State, $"run control is in Error ({_machine.ErrorCause}): reset it first");
            }
            var warnings = new List<string>();

            // 1. Is the front end there, and free?
            var ping = _daq.Ping();
            if (!ping.IsOk)
                return FrontEndFailed(ping, "before the run: ");
            var daqState = ping.State;
            if (string.Equals(daqState, "Running", StringComparison.OrdinalIgnoreCase))
            {
                var status = _daq.Status();
                if (status.IsOk && TryParseStatus(status) is { IsRunning: true, Run: { } foreign } parsed)
                {
                    AdoptLocked(foreign, parsed, "found recording while a start was requested");
                    return Refused(RefusalKind.State, $"the front end is already recording run {foreign}; run control has adopted it: stop it first");
                }
                return Refused(RefusalKind.State, "the front end reports Running: stop it first");
            }
            if (string.Equals(daqState, "Error", StringComparison.OrdinalIgnoreCase))
                return Refused(RefusalKind.State, $"the front end is in Error ({ping.Map.GetValueOrDefault("error") ?? "no cause given"}): reset it first (beamdaq-control reset)");

            // 2. The exit collimator, if asked, before anything is read: the run records where it really stands.
            if (request.ExitApertureXMm is { } x && request.ExitApertureYMm is { } y)
            {
                if (_facility is null)
                    return Refused(RefusalKind.Fault, "an exit aperture was asked for, but this control node has no facility connection");
                var move = _facility.SetExitAperture(x, y, _options.CollimatorSettleTimeout);
                if (!move.Succeeded)
                    return Refused(RefusalKind.Fault, move.Problem!);
                if (move.Reached is { } reached && (Math.Abs(reached.ApertureXMm - x) > 0.05 || Math.Abs(reached.ApertureYMm - y) > 0.05))
                    warnings.Add($"exit collimator settled at {reached.ApertureXMm:0.000} × {reached.ApertureYMm:0.000} mm², asked {x} × {y} mm²");
            }

            // 3. Everything the run records about the facility.
            var facility = _facility?.Read() ?? FacilitySnapshot.Unavailable("no facility connection: settings not recorded", _options.Detector);
            foreach (var problem in facility.Problems)
                warnings.Add("facility: " + problem);

            // 4. Configure the front end (validated by the daq; a refusal costs no run number).
            var overrides = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (_options.DaqConfigOverrides is { } fixedOverrides) RunMeta.Merge(overrides, fixedOverrides);
            if (_options.SimulatedBeamFromFacility) RunMeta.Merge(overrides, RunMeta.SimulatedBeam(facility, warnings));
            var configure = _daq.Configure(overrides.Count > 0 ? overrides : null);
            if (configure.Kind == DaqReplyKind.Refused)
                return Refused(RefusalKind.Fault, $"the front end refused its configuration: {configure.Problem}", warnings);
            if (!configure.IsOk)
                return FrontEndFailed(configure, "configure: ", warnings);
            Apply(_machine.Configure($"front end configured{(overrides.Count > 0 ? " with run control's overrides" : "")}"));
            var applied = configure.Map.GetValueOrDefault("applied") as IReadOnlyDictionary<string, object?>;

            // 5. The run number, with everything known so far, in one catalog transaction.
            string @operator = request.Operator ?? _options.ResolvedDefaultOperator;
            _controlConfiguration = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["events_limit"] = request.EventsLimit,
                ["exit_aperture_requested_mm"] = request.ExitApertureXMm is { } rx ? new List<object?> { rx, request.ExitApertureYMm } : null,
                ["daq_overrides"] = overrides,
                ["daq_endpoint"] = _daq.Endpoint,
                ["warnings"] = warnings.Cast<object?>().ToList(),
            };
            RunAllocation allocation;
            try
            {
                allocation = _catalog.AllocateRun(new RunStart
                {
                    Operator = @operator,
                    Comment = request.Comment,
                    StartUtc = _clock.UtcNow,
                    ConfigurationJson = ConfigurationJson(null),
                    AppliedSettingsJson = applied is null ? null : Json(applied),
                    Settings = facility.Settings,
                });
            }
            catch (CatalogException e)
            {
                ClearRun();
                Fail($"catalog {_catalog.Location}: cannot allocate a run: {e.Message}", ErrorKind.NeedsOperator);
                return Refused(RefusalKind.Fault, _machine.ErrorCause!, warnings);
            }
            long run = allocation.Run;
            foreach (var recovered in allocation.Recovered)
                _log.Warning("run control: run {Run} was left running by a control process that is gone; marked aborted: {Reason}", recovered.Run, recovered.Reason);
            _readings?.Add(facility.Readings, run);
            _readings?.Flush();   // the run's first readings are in the catalog from its first second

            // 6. Start: the daq opens the file, writes run.begin with the meta map, then accepts triggers.
            var meta = RunMeta.Build(run, @operator, request.Comment, request.EventsLimit, facility, allocation.StartUtc);
            var start = _daq.Start(run, meta, request.EventsLimit);
            if (!start.IsOk)
            {
                string cause = start.Describe();
                CloseUnstartedRun(run, allocation.StartUtc, cause);
                ClearRun();
                if (start.Kind == DaqReplyKind.Refused)
                    return Refused(RefusalKind.Fault, $"run {run} not started: {cause}", warnings);
                Fail($"run {run} not started: {cause}", ErrorKind.FrontEndLost);
                return Refused(RefusalKind.Fault, _machine.ErrorCause!, warnings);
            }
            _runFile = start.Map.GetValueOrDefault("file") as string;
            if (_runFile is { Length: > 0 } file)
            {
                try
                {
                    _catalog.RecordFile(run, file);
                }
                catch (CatalogException e)
                {
                    warnings.Add($"catalog: the run file was not recorded: {e.Message}");
                }
            }
            _eventsLimit = request.EventsLimit;
            _heartbeats.Rearm(_clock.UtcNow);
            _lastProgressAt = _clock.UtcNow;
            _digitizer.BeginRun(run);
            Apply(_machine.Start(run, $"run {run} started by {@operator}" + (request.EventsLimit is { } n ? $", until {Plural(n, "event")}" : "")));
            foreach (var warning in warnings)
                _log.Warning("run {Run}: {Warning}", run, warning);
            return new StartOutcome
            {
                State = _machine.Snapshot,
                Run = run,
                File = _runFile,
                Settings = facility.Settings,
                Warnings = warnings,
            };
        }
    }

    /// <summary>A run whose number was allocated but which the front end never started: closed as aborted, with 0 events.</summary>
    private void CloseUnstartedRun(long run, DateTimeOffset startUtc, string cause)
    {
        try
        {
            var stop = _clock.UtcNow;
            _catalog.EndRun(run, new RunEnd
            {
                StopUtc = stop < startUtc ? startUtc : stop,
                Reason = $"not started: {cause}",
                Events = 0,
                MissedTriggers = 0,
                Aborted = true,
            });
        }
        catch (CatalogException e)
        {
            _log.Error("run {Run}: could not close the unstarted run in the catalog: {Error}", run, e.Message);
        }
    }

    private StartOutcome FrontEndFailed(DaqReply reply, string when, IReadOnlyList<string>? warnings = null)
    {
        string cause = when + reply.Describe();
        ClearRun();
        Fail(cause, ErrorKind.FrontEndLost);
        ReportContact(Supervision.FrontEndContact.Lost, cause);
        return Refused(RefusalKind.Fault, cause, warnings);
    }

    private StartOutcome Refused(RefusalKind kind, string error, IReadOnlyList<string>? warnings = null) => new()
    {
        State = _machine.Snapshot,
        Refusal = kind,
        Error = error,
        Warnings = warnings ?? [],
    };

    private DaqStatusReply? TryParseStatus(DaqReply reply)
    {
        try
        {
            return DaqStatusReply.FromMap(reply.Map);
        }
        catch (FormatException e)
        {
            _log.Warning("run control: the front end's status reply does not parse: {Error}", e.Message);
            return null;
        }
    }
}
