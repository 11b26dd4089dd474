using System.Diagnostics;
using System.Globalization;
using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Daq.Acquisition.Recovery;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Hs4.Interop;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;
using Serilog;

namespace BeamDAQ.Daq.Acquisition;

/// <summary>What a run is asked to be: its number, metadata, optional event limit, and the settings it runs with.</summary>
internal sealed record RunPlan(uint Run, IReadOnlyDictionary<string, object?> Meta, ulong? EventLimit, DigitizerSettings Requested, AppliedSettings Applied);

/// <summary>
/// One run on its own thread, the only thread that touches the digitizer while the run lasts. Per bunch: arm → wait
/// (watchdog) → read → encode the <c>evt</c> once → append it to the run file → hand the same bytes to the publisher
/// thread, which never holds this thread up. A digitizer that leaves the bus is closed, looked for again by serial
/// number with back-off on the injected clock, reconfigured and verified, and the same run resumes; the outage is
/// recorded with the triggers it cost. The run ends on request, at its event limit, when the disk is full, or when
/// the device cannot be brought back as it was — always with <c>run.end</c> as the last record when the disk allows.
/// </summary>
internal sealed class AcquisitionRun
{
    /// <summary>Events before the allocation probe starts: JIT, buffer growth and first-use caches settle first.</summary>
    public const int WarmUpEvents = 100;

    private readonly RunPlan _plan;
    private readonly IDigitizerProvider _provider;
    private readonly IDaqClock _clock;
    private readonly MessageOutlet _outlet;
    private readonly RunFileWriter _file;
    private readonly AcquisitionOptions _options;
    private readonly ILogger _log;
    private readonly Action<AcquisitionRun, RunSummary> _onEnded;
    private readonly AcquiredBlock _block;
    private readonly MessagePackWriter _scratch;
    private readonly RunCounters _counters = new();
    private readonly DeadTimeStatistics _deadTime = new();
    private readonly MissedTriggerAccounting _accounting;
    private readonly List<DeviceGap> _gaps = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ManualResetEventSlim _ended = new(false);
    private readonly Thread _thread;
    private readonly long _droppedAtStart;
    private readonly DateTimeOffset _started;

    private IDigitizer? _digitizer;
    private string? _stopReason;
    private string? _failure;
    private ulong _trigger;
    private DateTimeOffset? _silenceSince;
    private long _watchdogExpiries;
    private PendingGap? _recoveredGap;
    private PendingGap? _openGap;
    private long _allocatedAtWarmUp = -1;
    private ulong _eventsAtWarmUp;
    private double? _allocatedPerEvent;
    private RunSummary? _summary;
    private volatile bool _finished;

    private sealed record PendingGap(DateTimeOffset Start, DateTimeOffset? End, string Cause);

    public AcquisitionRun(RunPlan plan, IDigitizer digitizer, IDigitizerProvider provider, IDaqClock clock, MessageOutlet outlet,
        RunFileWriter file, AcquisitionOptions options, ILogger log, Action<AcquisitionRun, RunSummary> onEnded)
    {
        _plan = plan;
        _digitizer = digitizer;
        _provider = provider;
        _clock = clock;
        _outlet = outlet;
        _file = file;
        _options = options;
        _log = log;
        _onEnded = onEnded;
        _block = new AcquiredBlock(plan.Applied);
        _scratch = new MessagePackWriter(FrontEnd.EncodedEventBound(plan.Applied));
        _started = clock.UtcNow;
        _accounting = new MissedTriggerAccounting(options.NominalTriggerRateHz, DeviceGap.UnixNanoseconds(_started));
        _droppedAtStart = outlet.Dropped;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"acquisition run {plan.Run}" };
    }

    public uint Run => _plan.Run;
    public string FilePath => _file.Path;
    public ulong Events => _counters.Events;
    public ulong Missed => _counters.Missed;
    public double DeadTimeFraction => _counters.DeadTimeFraction();
    public long BytesWritten => _file.BytesWritten;
    public DeviceState DeviceState => _counters.DeviceState;
    public int DeviceLosses => _counters.DeviceLosses;
    public long Dropped => _outlet.Dropped - _droppedAtStart;
    public DeadTimeSummary DeadTime => _deadTime.Snapshot();

    /// <summary>The digitizer the run ends with (null when it was lost and not brought back); the caller owns it afterwards.</summary>
    public IDigitizer? TakeDigitizer()
    {
        if (!_finished) throw new InvalidOperationException("the run is still going; its thread owns the digitizer");
        var d = _digitizer;
        _digitizer = null;
        return d;
    }

    public void Start() => _thread.Start();

    /// <summary>Asks the run to end with <paramref name="reason"/>; the loop notices within one wait of the digitizer.</summary>
    public void RequestStop(string reason)
    {
        Interlocked.CompareExchange(ref _stopReason, reason, null);
        _stop.Cancel();
    }

    /// <summary>Waits for the run to end; null when <paramref name="timeout"/> passed first.</summary>
    public RunSummary? WaitForEnd(TimeSpan timeout) => _ended.Wait(timeout) ? _summary : null;

    private string StopReason => _stopReason ?? RunEndReasons.Operator;

    private void Loop()
    {
        string reason;
        long? recordsLost = null;
        try
        {
            reason = Acquire();
        }
        catch (RunFileDiskFullException e)
        {
            reason = RunEndReasons.DiskFull;
            recordsLost = e.RecordsDropped;
            _log.Error("run {Run}: {Message}; the run ends", _plan.Run, e.Message);
            Alarm(DaqAlarmCodes.DiskFull, AlarmSeverity.Critical,
                $"disk full: run {_plan.Run} ended; {e.RecordsInFile} records ({e.BytesInFile} bytes) are safely in {_file.Path}, {e.RecordsDropped} could not be written",
                record: false);
        }
        catch (Exception e)
        {
            reason = $"{RunEndReasons.ErrorPrefix}: {e.GetType().Name}: {e.Message}";
            _log.Error(e, "run {Run}: acquisition failed; the run ends", _plan.Run);
        }

        try
        {
            _summary = Finish(reason, recordsLost);
        }
        catch (Exception e)
        {
            _log.Error(e, "run {Run}: closing the run failed", _plan.Run);
            _summary = Summary(reason, recordsLost, _clock.UtcNow);
        }
        // Listeners first, then waiters: whoever waited for the end finds the front end already updated.
        _finished = true;
        try
        {
            _onEnded(this, _summary);
        }
        catch (Exception e)
        {
            _log.Error(e, "run {Run}: a run-end listener failed", _plan.Run);
        }
        _ended.Set();
    }

    /// <summary>
    /// The loop; returns the reason the run ends. The digitizer is armed again as soon as a block has been read into
    /// our buffers — before the event is encoded, recorded and published — so the dead time per event is the read
    /// alone and a bunch arriving while the event is being written is caught by the device, not lost.
    /// </summary>
    private string Acquire()
    {
        var cancellation = _stop.Token;
        bool armed = false;
        while (true)
        {
            if (cancellation.IsCancellationRequested) return StopReason;
            if (_plan.EventLimit is { } limit && _trigger >= limit) return RunEndReasons.EventLimit;

            if (!armed)
            {
                if (!ArmOrRecover()) return _failure ?? StopReason;
                _counters.Armed(Stopwatch.GetTimestamp());
                armed = true;
            }

            var outcome = WaitForData(cancellation, out string? lossCause);
            switch (outcome)
            {
                case WaitOutcome.Cancelled:
                    return StopReason;
                case WaitOutcome.WatchdogExpired:
                    OnWatchdog();
                    continue; // still armed: keep waiting for the same block
                case WaitOutcome.DeviceRemoved:
                    armed = false;
                    _counters.NotArmed(Stopwatch.GetTimestamp());
                    if (!Recover(lossCause ?? "the device reported its removal")) return _failure ?? StopReason;
                    continue;
                case WaitOutcome.DataReady:
                    long readyTimestamp = Stopwatch.GetTimestamp();
                    _counters.NotArmed(readyTimestamp);
                    armed = false;
                    long timeNs = DeviceGap.UnixNanoseconds(_clock.UtcNow);
                    if (!TryRead(out string? readFailure))
                    {
                        if (!Recover(readFailure!)) return _failure ?? StopReason;
                        continue;
                    }

                    // Re-arm at once unless this was the last event; a device lost while arming still has its event recorded first.
                    string? armFailure = null;
                    bool last = cancellation.IsCancellationRequested || (_plan.EventLimit is { } l && _trigger + 1 >= l);
                    if (!last)
                    {
                        armFailure = TryArm();
                        if (armFailure is null)
                        {
                            long armedAt = Stopwatch.GetTimestamp();
                            _counters.Armed(armedAt);
                            _deadTime.Add(Stopwatch.GetElapsedTime(readyTimestamp, armedAt).TotalSeconds);
                            armed = true;
                        }
                    }
                    Record(timeNs);
                    if (armFailure is not null && !Recover(armFailure)) return _failure ?? StopReason;
                    continue;
            }
        }
    }

    /// <summary>Arms; null when done, else why the device is to be considered lost.</summary>
    private string? TryArm()
    {
        try
        {
            _digitizer!.Arm();
            return null;
        }
        catch (Exception e) when (IsDeviceFailure(e))
        {
            return $"arming failed: {e.Message}";
        }
    }

    private WaitOutcome WaitForData(CancellationToken cancellation, out string? lossCause)
    {
        lossCause = null;
        try
        {
            return _digitizer!.WaitForData(_options.Watchdog, cancellation);
        }
        catch (Exception e) when (IsDeviceFailure(e))
        {
            lossCause = e.Message;
            return WaitOutcome.DeviceRemoved;
        }
    }

    private bool ArmOrRecover()
    {
        while (true)
        {
            try
            {
                _digitizer!.Arm();
                return true;
            }
            catch (Exception e) when (IsDeviceFailure(e))
            {
                if (!Recover($"arming failed: {e.Message}")) return false;
            }
        }
    }

    private bool TryRead(out string? failure)
    {
        try
        {
            _digitizer!.Read(_block);
            failure = null;
            return true;
        }
        catch (Exception e) when (IsDeviceFailure(e))
        {
            failure = $"read failed: {e.Message}";
            return false;
        }
    }

    /// <summary>A device that left the bus, or a transfer that failed: both mean close, find it again, reopen.</summary>
    private static bool IsDeviceFailure(Exception e) => e is DigitizerGoneException or LibTiePieException or IOException;

    /// <summary>Turns the block just read into an <c>evt</c>: run file first, then the publisher.</summary>
    private void Record(long timeNs)
    {
        _trigger++;
        bool afterOutage = _recoveredGap is not null;
        ulong missed = _accounting.OnEvent(timeNs, DeviceTriggerCounter.Read(_digitizer), afterOutage, out var source);
        if (afterOutage) CloseGap(missed, source);
        else if (missed > 0) _counters.AddMissed(missed);
        if (_silenceSince is not null) OnTriggersResumed();

        var message = _outlet.BeginEvent(_scratch); // holds the outlet until Complete/Abandon: seq stays in wire order
        try
        {
            EventEncoder.Encode(message.Writer, message.Stamp.Sequence, message.Stamp.TopicSequence, _plan.Run, _trigger, timeNs, _block.Flags, _block);
            _file.Append(Topics.Event, message.Writer.WrittenSpan);
        }
        catch
        {
            _outlet.AbandonEvent(message);
            throw;
        }
        _outlet.CompleteEvent(message);
        _counters.EventRecorded();

        // The allocation probe starts once buffers have reached their working size: after the warm-up events and two
        // run-file buffers (the writer's buffer grows once, the first time a record does not fit before a flush).
        if (_allocatedAtWarmUp < 0 && _trigger >= WarmUpEvents && _file.BytesWritten >= 2L * RunFileWriterOptions.Default.BufferSize)
        {
            _allocatedAtWarmUp = GC.GetAllocatedBytesForCurrentThread();
            _eventsAtWarmUp = _trigger;
        }
    }

    private void OnWatchdog()
    {
        _watchdogExpiries++;
        if (_silenceSince is not null) return; // one alarm per silence; its end is reported when triggers return
        _silenceSince = _clock.UtcNow - _options.Watchdog;
        string message = string.Create(CultureInfo.InvariantCulture,
            $"no trigger for {_options.Watchdog.TotalSeconds:0.###} s in run {_plan.Run} ({_trigger} events so far); the digitizer stays armed and the run goes on");
        _log.Warning("{Message}", message);
        Alarm(DaqAlarmCodes.NoTrigger, AlarmSeverity.Warning, message, record: true);
    }

    private void OnTriggersResumed()
    {
        var silence = _clock.UtcNow - _silenceSince!.Value;
        _silenceSince = null;
        string message = string.Create(CultureInfo.InvariantCulture,
            $"triggers again in run {_plan.Run} after {silence.TotalSeconds:0.###} s without");
        _log.Information("{Message}", message);
        Alarm(DaqAlarmCodes.TriggerResumed, AlarmSeverity.Info, message, record: true,
            new Dictionary<string, object?> { ["silence_s"] = silence.TotalSeconds });
    }

    /// <summary>
    /// The device is gone: alarm, close it, then look for the same serial number with back-off until it opens, takes
    /// the run's settings and proves it took exactly them. False when the run must end instead (stop requested,
    /// outage too long, settings changed): <see cref="_failure"/> says why, unless it was a stop.
    /// </summary>
    private bool Recover(string cause)
    {
        var lossStart = _clock.UtcNow;
        var device = _plan.Applied.Device;
        _counters.SetDeviceState(DeviceState.Lost);
        _counters.DeviceLost();
        string lost = $"{device.Model} {device.SerialNumber} lost in run {_plan.Run} after trigger {_trigger} ({cause}); reopening it, the run goes on";
        _log.Warning("{Message}", lost);
        Alarm(DaqAlarmCodes.DeviceLost, AlarmSeverity.Error, lost, record: true,
            new Dictionary<string, object?> { ["start_ns"] = DeviceGap.UnixNanoseconds(lossStart), ["cause"] = cause });
        CloseDigitizer();

        var backoff = _options.RecoveryBackoffInitial;
        int attempts = 0;
        while (true)
        {
            if (_stop.IsCancellationRequested)
            {
                _openGap = new PendingGap(lossStart, null, cause);
                return false;
            }
            if (_options.MaxOutage is { } longest && _clock.UtcNow - lossStart >= longest)
            {
                _openGap = new PendingGap(lossStart, null, cause);
                _failure = RunEndReasons.DeviceLost;
                string gone = string.Create(CultureInfo.InvariantCulture,
                    $"{device.Model} {device.SerialNumber} did not come back within {longest.TotalSeconds:0.###} s ({attempts} attempts); run {_plan.Run} ends");
                _log.Error("{Message}", gone);
                Alarm(DaqAlarmCodes.DeviceFailed, AlarmSeverity.Critical, gone, record: true);
                return false;
            }

            attempts++;
            IDigitizer? candidate = null;
            try
            {
                candidate = _provider.TryOpen(device.SerialNumber);
            }
            catch (Exception e) when (IsDeviceFailure(e))
            {
                _log.Debug("reopening {Serial}: {Error}", device.SerialNumber, e.Message);
            }

            if (candidate is not null)
            {
                switch (Reconfigure(candidate, lossStart, cause))
                {
                    case ReopenOutcome.Resumed:
                        _recoveredGap = new PendingGap(lossStart, _clock.UtcNow, cause);
                        _log.Information("run {Run}: {Serial} reopened after {Seconds:0.###} s ({Attempts} attempts); every setting verified, acquisition resumes",
                            _plan.Run, device.SerialNumber, (_clock.UtcNow - lossStart).TotalSeconds, attempts);
                        return true;
                    case ReopenOutcome.Failed:
                        return false;
                }
            }

            _clock.WaitUntil(_clock.UtcNow + backoff, _stop.Token);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.RecoveryBackoffMax.Ticks));
        }
    }

    private enum ReopenOutcome { Resumed, GoneAgain, Failed }

    /// <summary>Applies the run's settings to the reopened device and checks every applied value against the run's.</summary>
    private ReopenOutcome Reconfigure(IDigitizer candidate, DateTimeOffset lossStart, string cause)
    {
        AppliedSettings applied;
        try
        {
            applied = candidate.Configure(_plan.Requested);
        }
        catch (Exception e) when (IsDeviceFailure(e))
        {
            candidate.Dispose();
            return ReopenOutcome.GoneAgain;
        }
        catch (DigitizerSettingsException e)
        {
            candidate.Dispose();
            return Unusable(lossStart, cause, $"{RunEndReasons.SettingsRejectedPrefix}: {e.Message}");
        }

        var differences = AppliedSettingsMap.Differences(_plan.Applied, applied);
        if (differences.Count > 0)
        {
            candidate.Dispose();
            return Unusable(lossStart, cause, $"{RunEndReasons.SettingsChangedPrefix}: {string.Join("; ", differences)}");
        }
        _digitizer = candidate;
        return ReopenOutcome.Resumed;
    }

    private ReopenOutcome Unusable(DateTimeOffset lossStart, string cause, string reason)
    {
        _openGap = new PendingGap(lossStart, null, cause);
        _failure = reason;
        string message = $"{_plan.Applied.Device.SerialNumber} came back but cannot continue run {_plan.Run}: {reason}; the run ends";
        _log.Error("{Message}", message);
        Alarm(DaqAlarmCodes.DeviceFailed, AlarmSeverity.Critical, message, record: true);
        return ReopenOutcome.Failed;
    }

    /// <summary>The first event after an outage closes its gap: record it (file and wire) before the event itself.</summary>
    private void CloseGap(ulong missed, MissedTriggerSource source)
    {
        var pending = _recoveredGap!;
        _recoveredGap = null;
        var gap = new DeviceGap(pending.Start, pending.End, missed, source, pending.Cause);
        AddGap(gap);
        _counters.SetDeviceState(DeviceState.Ok);
    }

    private void AddGap(DeviceGap gap)
    {
        lock (_gaps) _gaps.Add(gap);
        _counters.AddMissed(gap.Missed);
        var device = _plan.Applied.Device;
        string message = gap.End is null
            ? $"{device.Model} {device.SerialNumber}: run {_plan.Run} ended during a device outage: {gap.Describe()}"
            : $"{device.Model} {device.SerialNumber} back in run {_plan.Run}: {gap.Describe()}; every setting verified, acquisition resumed";
        _log.Warning("{Message}", message);
        Alarm(gap.End is null ? DaqAlarmCodes.DeviceFailed : DaqAlarmCodes.DeviceRecovered, AlarmSeverity.Warning, message, record: true,
            new Dictionary<string, object?> { ["gap"] = gap.ToMap() });
    }

    public IReadOnlyList<DeviceGap> Gaps
    {
        get { lock (_gaps) return _gaps.ToArray(); }
    }

    private void CloseDigitizer()
    {
        var d = _digitizer;
        _digitizer = null;
        if (d is null) return;
        try
        {
            d.Dispose();
        }
        catch (Exception e)
        {
            _log.Debug("closing the lost digitizer: {Error}", e.Message);
        }
    }

    /// <summary>Alarm with <c>source: daq</c>; with <paramref name="record"/> it also goes into the run file.</summary>
    private void Alarm(string code, AlarmSeverity severity, string message, bool record, Dictionary<string, object?>? extras = null)
    {
        extras ??= [];
        extras["run"] = _plan.Run;
        var map = new AlarmMessage
        {
            TimeNs = DeviceGap.UnixNanoseconds(_clock.UtcNow),
            Source = DaqAlarmCodes.Source,
            Severity = severity,
            Code = code,
            Message = message,
            Extras = extras,
        }.ToMap();
        _outlet.Send(Topics.Alarm, map, record ? _file : null);
    }

    /// <summary>Disarms, closes any gap still open, writes <c>run.end</c> as the last record, and closes the file.</summary>
    private RunSummary Finish(string reason, long? recordsLost)
    {
        try
        {
            _digitizer?.Disarm();
        }
        catch (Exception e) when (IsDeviceFailure(e))
        {
            _log.Debug("disarming at the end of run {Run}: {Error}", _plan.Run, e.Message);
        }

        var ended = _clock.UtcNow;
        bool diskFull = reason == RunEndReasons.DiskFull;
        try
        {
            if (_recoveredGap is { } recovered)
            {
                // Back and verified, but no event came before the end: the count can only be estimated.
                _recoveredGap = null;
                AddGapSafely(new DeviceGap(recovered.Start, recovered.End,
                    _accounting.EstimateUntil(DeviceGap.UnixNanoseconds(recovered.End!.Value)), MissedTriggerSource.EstimatedFromRate, recovered.Cause), diskFull);
                _counters.SetDeviceState(DeviceState.Ok);
            }
            if (_openGap is { } open)
            {
                _openGap = null;
                AddGapSafely(new DeviceGap(open.Start, null, _accounting.EstimateUntil(DeviceGap.UnixNanoseconds(ended)), MissedTriggerSource.EstimatedFromRate, open.Cause), diskFull);
            }
        }
        catch (RunFileDiskFullException e)
        {
            diskFull = true;
            reason = RunEndReasons.DiskFull;
            recordsLost = e.RecordsDropped;
        }

        if (_allocatedAtWarmUp >= 0 && _trigger > _eventsAtWarmUp)
            _allocatedPerEvent = (double)(GC.GetAllocatedBytesForCurrentThread() - _allocatedAtWarmUp) / (_trigger - _eventsAtWarmUp);

        var summary = Summary(reason, recordsLost, ended);
        var endMap = RunEndMap(summary);
        MessageStamp endStamp;
        try
        {
            endStamp = _outlet.Send(Topics.RunEnd, endMap, diskFull ? null : _file);
        }
        catch (RunFileDiskFullException e)
        {
            _log.Error("run {Run}: run.end could not be recorded ({Message}); it is published only", _plan.Run, e.Message);
            endStamp = _outlet.Send(Topics.RunEnd, endMap);
        }
        if (diskFull) TryRecordRunEndAfterDiskFull(endMap, endStamp);

        try
        {
            _file.Dispose();
        }
        catch (IOException e)
        {
            _log.Error("run {Run}: closing {File}: {Message}", _plan.Run, _file.Path, e.Message);
        }
        var final = summary with { BytesWritten = _file.BytesWritten };
        _log.Information("run {Run} ended ({Reason}): {Events} events, {Missed} missed, {Gaps} device outage(s), {Dropped} publications dropped, dead time {Dead:P2}, {Bytes} bytes in {File}",
            final.Run, final.Reason, final.Events, final.Missed, final.Gaps.Count, final.Dropped, final.DeadTimeFraction, final.BytesWritten, final.File);
        return final;
    }

    private void AddGapSafely(DeviceGap gap, bool diskFull)
    {
        if (!diskFull)
        {
            AddGap(gap);
            return;
        }
        lock (_gaps) _gaps.Add(gap);
        _counters.AddMissed(gap.Missed);
    }

    /// <summary>After a full disk the writer cut the file back to whole records; if space came back, run.end still goes last.</summary>
    /// <param name="published">The numbers of the <c>run.end</c> already published: the record carries the same bytes.</param>
    private void TryRecordRunEndAfterDiskFull(Dictionary<string, object?> endMap, MessageStamp published)
    {
        try
        {
            var writer = new MessagePackWriter();
            MapMessage.Encode(Topics.RunEnd, endMap, published.Sequence, published.TopicSequence, writer);
            _file.Append(Topics.RunEnd, writer.WrittenSpan);
            _file.Flush();
        }
        catch (IOException)
        {
            // Still full: the file ends on its last whole record, which readers handle (verify reports it).
        }
    }

    private RunSummary Summary(string reason, long? recordsLost, DateTimeOffset ended)
    {
        // run.end and the catalog count the events an analyst finds in the file; a full disk's losses are said apart.
        // An event whose append met the full disk was read from the digitizer but never counted as recorded: the
        // trigger number counts it.
        ulong lost = (ulong)_file.RecordsDroppedWithTopic(Topics.Event);
        ulong acquired = lost > 0 ? Math.Max(_counters.Events, (ulong)_trigger) : _counters.Events;
        lost = Math.Min(lost, acquired);
        return new RunSummary
        {
            Run = _plan.Run,
            File = _file.Path,
            Reason = reason,
            Events = acquired - lost,
            EventsLost = lost,
            Missed = _counters.Missed,
            Gaps = Gaps,
            Dropped = Dropped,
            BytesWritten = _file.BytesWritten,
            DeadTimeFraction = _counters.DeadTimeFraction(),
            DeadTime = _deadTime.Snapshot(),
            Started = _started,
            Ended = ended,
            WallTime = _counters.WallTime,
            RecordsLost = recordsLost,
            AllocatedBytesPerEvent = _allocatedPerEvent,
        };
    }

    private Dictionary<string, object?> RunEndMap(RunSummary s)
    {
        var extras = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["gaps"] = s.Gaps.Select(g => (object?)g.ToMap()).ToList(),
            ["dropped"] = (ulong)Math.Max(0, s.Dropped),
            ["dead_time_fraction"] = s.DeadTimeFraction,
            ["dead_time_median_s"] = s.DeadTime.MedianSeconds,
            ["dead_time_p99_s"] = s.DeadTime.P99Seconds,
            ["watchdog_expiries"] = (ulong)_watchdogExpiries,
            ["duration_s"] = (s.Ended - s.Started).TotalSeconds,
        };
        if (s.RecordsLost is { } lost)
        {
            extras["records_lost"] = lost;
            extras["events_acquired"] = s.EventsAcquired;
            extras["events_lost"] = s.EventsLost;
        }
        return new RunEndMessage
        {
            Run = s.Run,
            TimeNs = DeviceGap.UnixNanoseconds(s.Ended),
            Events = s.Events,
            Missed = s.Missed,
            Reason = s.Reason,
            Extras = extras,
        }.ToMap();
    }
}
