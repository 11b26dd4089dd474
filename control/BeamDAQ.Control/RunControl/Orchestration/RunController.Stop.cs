using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.RunControl.Daq;
using BeamDAQ.Control.RunControl.Server;
using BeamDAQ.Control.RunControl.State;
using BeamDAQ.Control.RunControl.Supervision;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.RunControl.Orchestration;

public sealed partial class RunController
{
    /// <summary>
    /// Stops the run being recorded: Stopping → daq stop → the run's end in the catalog (counts, dead time, file size
    /// and SHA-256, reason) → Configured. Without a run this changes nothing and says so.
    /// </summary>
    public StopOutcome Stop(string reason = "operator")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate)
            return StopLocked(reason);
    }

    private StopOutcome StopLocked(string reason)
    {
        if (_machine.State != RunControlState.Running)
            return new StopOutcome
            {
                State = _machine.Snapshot,
                Message = _machine.State != RunControlState.Error
                    ? $"no run is being recorded (state {_machine.State}): nothing to stop"
                    : _errorKind == ErrorKind.FrontEndLostDuringRun && _machine.Run is { } open
                        ? $"run {open} cannot be stopped while the front end is unreachable ({_machine.ErrorCause})"
                        : $"no run is being recorded: run control is in Error ({_machine.ErrorCause}); 'reset' leaves it",
            };
        long run = _machine.Run!.Value;
        _stopRequested = true;
        Apply(_machine.BeginStop($"stopping run {run}: {reason}"));
        var before = _heartbeats.Latest;

        var reply = _daq.Stop(reason);
        if (!reply.IsOk)
        {
            string cause = $"run {run}: {reply.Describe()}";
            if (reply.Kind != DaqReplyKind.Refused) ReportContact(Supervision.FrontEndContact.Lost, cause);
            var aborted = AbortRunLocked(run, cause);
            Fail(cause, reply.Kind == DaqReplyKind.Refused ? ErrorKind.NeedsOperator : ErrorKind.FrontEndLost);
            return new StopOutcome { State = _machine.Snapshot, Run = aborted, Refusal = RefusalKind.Fault, Error = cause };
        }

        long events, missed;
        string? file;
        try
        {
            var fields = new RequestFields("daq stop reply", reply.Map);
            events = fields.OptionalInteger("events") ?? (long?)before?.Events ?? 0;
            missed = fields.OptionalInteger("missed") ?? (long?)before?.Missed ?? 0;
            file = fields.OptionalString("file") ?? _runFile;
        }
        catch (FormatException e)
        {
            _log.Warning("run {Run}: the front end's stop reply does not parse ({Error}); counts from its last heartbeat", run, e.Message);
            events = (long?)before?.Events ?? 0;
            missed = (long?)before?.Missed ?? 0;
            file = _runFile;
        }
        // The stop reply has the counts; the run.end that follows it has the dead time and the device-loss gaps too.
        var end = _options.RunEndWait > TimeSpan.Zero ? _runEnds.Wait(run, _options.RunEndWait) : null;
        double? deadTime = reply.Map.GetValueOrDefault("dead_time_fraction") as double? ?? DeadTimeOf(end)
            ?? (before?.Run == run ? before.DeadTimeFraction : null);
        var summary = EndRunLocked(run, reason, events, missed, deadTime, file, aborted: false, end);
        Apply(_machine.Stopped($"run {run} ended: {reason}, {Plural(events, "event")}"));
        ClearRun();
        return new StopOutcome { State = _machine.Snapshot, Stopped = true, Run = summary };
    }

    /// <summary>Records a run's end with its file's size and SHA-256 (when the file is readable from here).</summary>
    private RunEndSummary EndRunLocked(long run, string reason, long events, long missed, double? deadTime, string? file, bool aborted,
        RunEndMessage? end)
    {
        long? size = null;
        string? sha = null;
        if (file is { Length: > 0 } && File.Exists(file))
        {
            try
            {
                (size, sha) = RunFileDigest.Compute(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warning("run {Run}: cannot read its file {File} for the checksum: {Error}", run, file, e.Message);
            }
        }
        else if (file is { Length: > 0 })
            _log.Warning("run {Run}: its file {File} is not visible from the control node: size and checksum not recorded", run, file);

        var stop = _clock.UtcNow;
        var summary = new RunEndSummary
        {
            Run = run,
            Aborted = aborted,
            Reason = reason,
            StopUtc = stop,
            Events = events,
            Missed = missed,
            DeadTimeFraction = deadTime is { } f && double.IsFinite(f) ? Math.Clamp(f, 0, 1) : null,
            File = file,
            FileSizeBytes = size,
            FileSha256 = sha,
        };
        WriteEnd(summary, end);
        return summary;
    }

    /// <summary>
    /// Closes a run whose front end failed: aborted, with what its file still holds, counted by the catalog's recovery
    /// inspection (events up to the last whole record, size, SHA-256).
    /// </summary>
    private RunEndSummary AbortRunLocked(long run, string cause)
    {
        var latest = _heartbeats.Latest is { } h && h.Run == run ? h : null;
        RecoveredRunFile? file = _runFile is { Length: > 0 } path ? _inspector.Inspect(path) : null;
        var summary = new RunEndSummary
        {
            Run = run,
            Aborted = true,
            Reason = cause + (file is null ? "; no run file known" : "; " + file.Description),
            StopUtc = _clock.UtcNow,
            Events = file?.Events ?? (long?)latest?.Events ?? 0,
            Missed = (long?)latest?.Missed ?? 0,
            DeadTimeFraction = latest?.DeadTimeFraction,
            File = _runFile,
            FileSizeBytes = file?.SizeBytes,
            FileSha256 = file?.Sha256,
        };
        WriteEnd(summary, end: null);
        ClearRun();
        return summary;
    }

    private void WriteEnd(RunEndSummary summary, RunEndMessage? end)
    {
        _lastRun = summary;
        // A run.begin lost on the wire is still the file's first record: the configuration is recorded from there.
        if (!_runBeginRecorded && RunFileRecords.TryReadBegin(summary.File, summary.Run) is { } begin)
            RecordRunBegin(begin);
        var seen = _digitizer.EndRun((ulong)Math.Max(0, summary.Missed));
        // The front end's own account of its outages is exact; the heartbeats' is what is left when it sent none.
        foreach (var loss in GapsOf(end, summary.Run) ?? seen)
            AddDeviceLoss(loss);
        if (_facility is not null && _readings is not null)
        {
            _readings.Add(_facility.ReadTemperatures(), summary.Run);
            _readings.Flush();
        }
        try
        {
            _catalog.EndRun(summary.Run, new RunEnd
            {
                StopUtc = summary.StopUtc,
                Reason = summary.Reason,
                Events = summary.Events,
                MissedTriggers = summary.Missed,
                DeadTimeFraction = summary.DeadTimeFraction,
                FilePath = summary.File,
                FileSizeBytes = summary.FileSizeBytes,
                FileSha256 = summary.FileSha256,
                Aborted = summary.Aborted,
            });
            _log.Information("run {Run} {State}: {Reason}; {Events} events, {Missed} missed, file {File} ({Size} bytes, sha256 {Sha})",
                summary.Run, summary.Aborted ? "aborted" : "ended", summary.Reason, summary.Events, summary.Missed,
                summary.File ?? "-", summary.FileSizeBytes?.ToString() ?? "?", summary.FileSha256 ?? "-");
        }
        catch (CatalogException e)
        {
            _log.Error("run {Run}: its end could not be recorded in the catalog: {Error}", summary.Run, e.Message);
        }
        _readings?.Flush();
    }

    /// <summary><c>dead_time_fraction</c> of a run.end (an extra key of the front end), if it is there.</summary>
    private static double? DeadTimeOf(RunEndMessage? end) =>
        end?.Extras.GetValueOrDefault("dead_time_fraction") is double f && double.IsFinite(f) ? f : null;

    /// <summary>The device-loss intervals of a run.end's <c>gaps</c> list; null when it has none (or there is no run.end).</summary>
    private List<DeviceLossInterval>? GapsOf(RunEndMessage? end, long run)
    {
        if (end?.Extras.GetValueOrDefault("gaps") is not List<object?> gaps)
            return null;
        var losses = new List<DeviceLossInterval>();
        foreach (var gap in gaps.OfType<IReadOnlyDictionary<string, object?>>())
        {
            try
            {
                var f = new RequestFields("run.end gap", gap);
                if (f.OptionalInteger("start_ns") is not { } startNs) continue;
                losses.Add(new DeviceLossInterval(run, DigitizerLossTracker.Device, WireMessages.FromUnixNanoseconds(startNs),
                    f.OptionalInteger("end_ns") is { } endNs ? WireMessages.FromUnixNanoseconds(endNs) : null, f.OptionalInteger("missed")));
            }
            catch (FormatException e)
            {
                _log.Warning("run {Run}: a device-loss gap in run.end is not understood: {Error}", run, e.Message);
            }
        }
        return losses;
    }

    private void AddDeviceLoss(DeviceLossInterval interval)
    {
        try
        {
            _catalog.AddDeviceLoss(interval);
        }
        catch (Exception e) when (e is CatalogException or ArgumentException)
        {
            _log.Error("run {Run}: device loss of {Device} not recorded: {Error}", interval.Run, interval.Device, e.Message);
        }
    }

    /// <summary>
    /// The operator acknowledges an Error: a front end still recording is stopped, one in Error is reset, then Idle.
    /// </summary>
    public ResetOutcome Reset()
    {
        lock (_gate)
        {
            if (_machine.State != RunControlState.Error)
                return new ResetOutcome(_machine.Snapshot, false, RefusalKind.State, $"nothing to reset: state is {_machine.State}; reset leaves Error only");
            string cause = _machine.ErrorCause!;
            var notes = new List<string>();
            var status = _daq.Status();
            if (status.IsOk && TryParseStatus(status) is { } daq)
            {
                if (daq.IsRunning)
                {
                    var stop = _daq.Stop($"reset by the operator after: {cause}");
                    notes.Add($"front end was recording run {daq.Run}: {stop.Describe()}");
                }
                else if (daq.IsError)
                {
                    var reset = _daq.Reset();
                    notes.Add($"front end was in Error ({daq.Error}): {reset.Describe()}");
                }
            }
            else
                notes.Add($"front end not reachable ({status.Describe()}); it will be adopted or checked when it is back");
            // A run left open while the front end was unreachable: the operator gives up on it.
            if (_errorKind == ErrorKind.FrontEndLostDuringRun && _machine.Run is { } open)
            {
                var closed = AbortRunLocked(open, $"reset by the operator after: {cause}");
                notes.Add($"run {open} closed as aborted ({Plural(closed.Events, "event")} in its file)");
            }
            Apply(_machine.Reset($"reset by the operator (was: {cause})"));
            _errorKind = ErrorKind.None;
            ClearRun();
            return new ResetOutcome(_machine.Snapshot, true, RefusalKind.None,
                "reset: Error → Idle" + (notes.Count > 0 ? "; " + string.Join("; ", notes) : ""));
        }
    }
}
