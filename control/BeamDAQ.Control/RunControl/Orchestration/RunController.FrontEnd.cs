using BeamDAQ.Control.Alarms;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.RunControl.Daq;
using BeamDAQ.Control.RunControl.State;
using BeamDAQ.Control.RunControl.Supervision;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.RunControl.Orchestration;

// What the front end says by itself (heartbeats, run.begin, run.end) and what run control does about its silence.
public sealed partial class RunController
{
    /// <summary>A <c>daq.status</c> heartbeat: liveness, counters, the events limit, digitizer losses, adoption, recovery.</summary>
    public void OnDaqStatus(DaqStatusMessage status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var now = _clock.UtcNow;
        bool contactRestored = _contactDegraded;
        lock (_gate)
        {
            _heartbeats.Observe(status, now);
            bool daqRunning = string.Equals(status.State, "Running", StringComparison.OrdinalIgnoreCase);
            switch (_machine.State)
            {
                case RunControlState.Running when daqRunning && status.Run == _machine.Run:
                    OnRunningHeartbeat(_machine.Run!.Value, status, now);
                    break;
                case RunControlState.Running:
                    // Heartbeats queue while a start holds the lock, so one saying "not running" may be stale: ask.
                    ConfirmRunStillRecorded(now);
                    break;
                case RunControlState.Idle when daqRunning && status.Run is { } foreign:
                    AdoptLocked(foreign, null, "its heartbeat shows it recording");
                    break;
                case RunControlState.Error when _errorKind == ErrorKind.FrontEndLostDuringRun:
                    OnLostFrontEndBack(status, now);
                    break;
                case RunControlState.Error when _errorKind == ErrorKind.FrontEndLost && !daqRunning
                                                && !string.Equals(status.State, "Error", StringComparison.OrdinalIgnoreCase):
                    Apply(_machine.Recover($"front end back (state {status.State}): recovered"));
                    _errorKind = ErrorKind.None;
                    break;
            }
        }
        if (contactRestored)
            ReportContact(FrontEndContact.Ok, $"daq.status heartbeats arriving from the front end (state {status.State})");
        _alarms?.OnDaqHeartbeat(DaqHeartbeat.FromStatus(status, now));
    }

    private void OnRunningHeartbeat(long run, DaqStatusMessage status, DateTimeOffset now)
    {
        _digitizer.Observe(run, status.DeviceState, status.Missed, now);
        if (now - _lastProgressAt >= _options.ProgressInterval)
        {
            _lastProgressAt = now;
            try
            {
                _catalog.RecordProgress(run, new RunProgress((long)Math.Min(status.Events, long.MaxValue),
                    (long)Math.Min(status.Missed, long.MaxValue), status.DeadTimeFraction is var f && double.IsFinite(f) ? Math.Clamp(f, 0, 1) : null, now));
            }
            catch (Exception e) when (e is CatalogException or ArgumentException)
            {
                _log.Warning("run {Run}: progress not recorded: {Error}", run, e.Message);
            }
        }
        if (_eventsLimit is { } limit && status.Events >= (ulong)limit && !_stopRequested)
            StopLocked($"events limit reached: {status.Events} of {limit}");
    }

    /// <summary>
    /// A heartbeat that does not show our run: ask the daq directly (at most once per heartbeat time-out) and abort the
    /// run if it really is no longer recorded — a front end restarted in between, for instance.
    /// </summary>
    private void ConfirmRunStillRecorded(DateTimeOffset now)
    {
        if (_lastContradictionCheck is { } last && now - last < _options.HeartbeatTimeout)
            return;
        _lastContradictionCheck = now;
        long run = _machine.Run!.Value;
        var reply = _daq.Status();
        if (!reply.IsOk || TryParseStatus(reply) is not { } daq)
            return; // silence is the supervision's business
        if (daq.IsRunning && daq.Run == run)
            return;
        RunGoneFromFrontEnd(run, daq);
    }

    /// <summary>
    /// The front end no longer records our run. If it ended the run itself (its events limit, a fault), the end is
    /// recorded from its run.end — the message if it arrived, else the record the file closes with (the publication
    /// queue may drop a message; the file never does). Without either the run was lost (a front end restarted in
    /// between) and is aborted with what its file holds.
    /// </summary>
    private void RunGoneFromFrontEnd(long run, DaqStatusReply daq)
    {
        var end = daq.IsRunning ? null : _runEnds.Wait(run, TimeSpan.Zero) ?? RunFileRecords.TryReadEnd(_runFile, run);
        if (end is not null)
        {
            FinishEndedRun(run, end, daq);
            return;
        }
        string cause = $"the front end no longer records run {run} (it reports {daq.State}{(daq.Run is { } r ? $", run {r}" : "")})";
        AbortRunLocked(run, cause);
        Fail(cause, daq.IsRunning ? ErrorKind.NeedsOperator : ErrorKind.FrontEndLost);
    }

    /// <summary>Records the end of a run the front end ended by itself; aborted (and Error) if it is now in Error.</summary>
    private void FinishEndedRun(long run, RunEndMessage end, DaqStatusReply? daq)
    {
        bool fault = daq?.IsError == true;
        string reason = $"ended by the front end: {end.Reason}";
        Apply(_machine.BeginStop(reason));
        EndRunLocked(run, fault ? $"{reason}; front end in Error: {daq!.Error}" : reason,
            (long)Math.Min(end.Events, long.MaxValue), (long)Math.Min(end.Missed, long.MaxValue),
            DeadTimeOf(end) ?? (_heartbeats.Latest?.Run == run ? _heartbeats.Latest.DeadTimeFraction : null),
            _runFile ?? daq?.File, aborted: fault, end);
        ClearRun();
        if (fault)
            Fail($"front end in Error after ending run {run}: {daq!.Error}", ErrorKind.NeedsOperator);
        else
            Apply(_machine.Stopped(reason));
    }

    /// <summary><c>run.begin</c> of our run: the daq's full configuration and applied settings into the catalog.</summary>
    public void OnDaqRunBegin(RunBeginMessage begin)
    {
        ArgumentNullException.ThrowIfNull(begin);
        lock (_gate)
        {
            if (_machine.Run != begin.Run || _machine.State is not (RunControlState.Running or RunControlState.Stopping))
            {
                _log.Debug("run.begin of run {Run} ignored (state {State}, run {Current})", begin.Run, _machine.State, _machine.Run);
                return;
            }
            RecordRunBegin(begin);
        }
    }

    /// <summary>
    /// Makes a <c>run.end</c> known at once, without run control's lock: a stop in progress waits for it. The node
    /// posts it from its listener and hands the message to <see cref="OnDaqRunEnd"/> afterwards.
    /// </summary>
    public void PostRunEnd(RunEndMessage end) => _runEnds.Post(end);

    /// <summary>
    /// <c>run.end</c> of our run that run control did not ask for (the daq reached its events limit, or gave up): the run
    /// is closed with the daq's counts and reason — aborted if the daq is now in Error.
    /// </summary>
    public void OnDaqRunEnd(RunEndMessage end)
    {
        ArgumentNullException.ThrowIfNull(end);
        _runEnds.Post(end);   // before the lock: a stop in progress may be waiting for it
        lock (_gate)
        {
            if (_machine.State != RunControlState.Running || _machine.Run != end.Run)
                return; // our own stop (already recorded) or somebody else's run
            var reply = _daq.Status();
            FinishEndedRun(end.Run, end, reply.IsOk ? TryParseStatus(reply) : null);
        }
    }

    /// <summary>
    /// Periodic checks (the node calls this a few times per second): a silent front end during a run is pinged, then
    /// declared lost — the run is aborted with what its file holds and run control enters Error.
    /// </summary>
    public void Supervise()
    {
        var now = _clock.UtcNow;
        lock (_gate)
        {
            if (_machine.State != RunControlState.Running || !_heartbeats.IsSilentAt(now))
                return;
            long run = _machine.Run!.Value;
            var silence = _heartbeats.SilenceAt(now);
            string heard = _heartbeats.LatestAt is { } at ? $"the last {Math.Round((now - at).TotalSeconds, 1)} s ago" : "none since the start";
            var ping = _daq.Ping();
            if (ping.IsOk)
            {
                var status = _daq.Status();
                var daq = status.IsOk ? TryParseStatus(status) : null;
                if (daq is { IsRunning: true } && daq.Run == run)
                {
                    // Alive but its heartbeats do not reach us (a broken PUB path): warn, and keep the run.
                    _heartbeats.Rearm(now);
                    ReportContact(FrontEndContact.HeartbeatMissing,
                        $"no daq.status heartbeat for {silence.TotalSeconds:0.#} s ({heard}) but the front end answers and records run {run}");
                    return;
                }
                if (daq is not null)
                {
                    RunGoneFromFrontEnd(run, daq);
                    return;
                }
                string gone = $"the front end no longer records run {run} (it reports {ping.State ?? "?"})";
                AbortRunLocked(run, gone);
                Fail(gone, ErrorKind.FrontEndLost);
                return;
            }
            string cause = $"front end lost: no daq.status heartbeat for {silence.TotalSeconds:0.#} s (limit {_heartbeats.Timeout.TotalSeconds:0.#} s; {heard}) " +
                           $"and no reply to ping ({ping.Problem}); run {run} left open: it resumes when the front end answers, 'reset' closes it as aborted";
            ReportContact(FrontEndContact.Lost, cause);   // first, so the alarm is attached to the run it cost
            // Not closed: a front end we cannot hear may still be recording the run (a network outage). Closing it now
            // would freeze counts, size and checksum that the growing file no longer matches.
            _log.Warning("run {Run}: left open while the front end is unreachable; resumed or closed when it answers", run);
            Fail(cause, ErrorKind.FrontEndLostDuringRun);
        }
    }

    /// <summary>
    /// The first heartbeat after the front end was lost during a run: still recording that run → Running again (the
    /// outage stays as the daq-lost alarm's interval); ended it by itself → its run.end is recorded; anything else
    /// (restarted, another run) → the run is closed as aborted with what its file holds.
    /// </summary>
    private void OnLostFrontEndBack(DaqStatusMessage status, DateTimeOffset now)
    {
        long run = _machine.Run!.Value;
        bool daqRunning = string.Equals(status.State, "Running", StringComparison.OrdinalIgnoreCase);
        bool daqError = string.Equals(status.State, "Error", StringComparison.OrdinalIgnoreCase);
        if (daqRunning && status.Run == run)
        {
            _heartbeats.Rearm(now);
            _lastProgressAt = now;
            _errorKind = ErrorKind.None;
            Apply(_machine.Resume(run, $"front end back and still recording run {run} ({Plural((long)Math.Min(status.Events, long.MaxValue), "event")} so far): resumed"));
            return;
        }
        string seen = $"state {status.State}{(status.Run is { } r ? $", run {r}" : "")}";
        var end = daqRunning ? null : _runEnds.Wait(run, TimeSpan.Zero) ?? RunFileRecords.TryReadEnd(_runFile, run);
        if (end is not null)
        {
            EndRunLocked(run, $"ended by the front end while it was unreachable: {end.Reason}", (long)Math.Min(end.Events, long.MaxValue),
                (long)Math.Min(end.Missed, long.MaxValue), DeadTimeOf(end), _runFile, aborted: daqError, end);
            ClearRun();
        }
        else
            AbortRunLocked(run, $"the front end came back without run {run} ({seen})");
        if (daqRunning || daqError)
            _errorKind = ErrorKind.NeedsOperator;
        else
        {
            _errorKind = ErrorKind.None;
            Apply(_machine.Recover($"front end back ({seen}): run {run} closed, recovered"));
        }
    }

    /// <summary>
    /// At the control node's start: the front end's status decides. A run it records is adopted (and taken over in the
    /// catalog); otherwise runs left 'running' by a control process that is gone are closed as aborted.
    /// </summary>
    public string Reconcile()
    {
        lock (_gate)
        {
            var reply = _daq.Status();
            if (!reply.IsOk)
            {
                // Recovery must wait: a front end we cannot hear may still be recording the run in question.
                string note = $"front end not reachable at start-up ({reply.Describe()}); runs left running are checked when it answers";
                _log.Warning("run control: {Note}", note);
                return note;
            }
            var daq = TryParseStatus(reply);
            if (daq is { IsRunning: true, Run: { } run })
            {
                AdoptLocked(run, daq, "found recording at start-up");
                return _machine.State == RunControlState.Running
                    ? $"adopted run {run}, which the front end kept recording"
                    : $"the front end records run {run}, but it could not be adopted: {_machine.ErrorCause}";
            }
            var recovered = RecoverLeftRuns();
            if (daq is { IsConfigured: true })
                Apply(_machine.AdoptConfigured("front end found configured at start-up"));
            else if (daq is { IsError: true })
                Fail($"front end in Error at start-up: {daq.Error ?? "no cause given"}", ErrorKind.NeedsOperator);
            return recovered.Count == 0
                ? $"front end {daq?.State ?? "?"}; no run left running"
                : $"front end {daq?.State ?? "?"}; recovered as aborted: {string.Join(", ", recovered.Select(r => r.Run))}";
        }
    }

    private IReadOnlyList<RecoveredRun> RecoverLeftRuns()
    {
        try
        {
            var recovered = _catalog.RecoverInterruptedRuns();
            foreach (var r in recovered)
                _log.Warning("run control: run {Run} was left running by a control process that is gone; marked aborted: {Reason}", r.Run, r.Reason);
            return recovered;
        }
        catch (CatalogException e)
        {
            _log.Error("run control: crash recovery failed: {Error}", e.Message);
            return [];
        }
    }

    /// <summary>Makes the run the front end records ours again (Idle → Running), taking it over in the catalog.</summary>
    private void AdoptLocked(long run, DaqStatusReply? daq, string why)
    {
        if (_machine.State != RunControlState.Idle)
            return;
        daq ??= _daq.Status() is { IsOk: true } reply ? TryParseStatus(reply) : null;
        RunRecord? record;
        try
        {
            record = _catalog.FindRun(run);
        }
        catch (CatalogException e)
        {
            Fail($"the front end records run {run}, but the catalog cannot be read: {e.Message}", ErrorKind.NeedsOperator);
            return;
        }
        if (record is null)
        {
            var known = _catalog.KnownRuns();
            Fail($"the front end records run {run}, which the catalog {_catalog.Location} does not know (known runs: {known?.ToString() ?? "none"})",
                ErrorKind.NeedsOperator);
            return;
        }
        if (record.State != RunState.Running)
        {
            Fail($"the front end records run {run}, which the catalog holds as {record.State.ToString().ToLowerInvariant()} ({record.EndReason})",
                ErrorKind.NeedsOperator);
            return;
        }
        var owner = record.Owner.Probe();
        if (owner == RunOwnerStatus.Alive && record.Owner.ProcessId != Environment.ProcessId)
        {
            Fail($"the front end records run {run}, which belongs to control process {record.Owner}, still alive", ErrorKind.NeedsOperator);
            return;
        }
        try
        {
            _catalog.TakeOverRun(run);
        }
        catch (CatalogException e)
        {
            Fail($"run {run} could not be taken over in the catalog: {e.Message}", ErrorKind.NeedsOperator);
            return;
        }
        _runFile = daq?.File ?? record.FilePath;
        _eventsLimit = EventsLimitFrom(record.ConfigurationJson);
        (_controlConfiguration, _runBeginRecorded) = StoredConfiguration(record.ConfigurationJson);
        var now = _clock.UtcNow;
        _heartbeats.Rearm(now);
        _lastProgressAt = now;
        _digitizer.BeginRun(run);
        Apply(_machine.AdoptRunning(run, $"adopted run {run} from control process {record.Owner}: the front end {why}" +
                                         (daq?.Events is { } events ? $" ({Plural(events, "event")} so far)" : "")));
    }
}
