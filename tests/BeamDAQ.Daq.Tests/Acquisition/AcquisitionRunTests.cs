using System.Globalization;
using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Daq.Tests.Acquisition;

/// <summary>
/// Runs of the front end over the simulator on a virtual clock (minutes of 5 Hz beam in a moment), with a real PUB
/// socket and real run files: what is recorded, in which order, and what a lost device, a silent trigger or a
/// misbehaving reconnect leave in the file.
/// </summary>
public sealed class AcquisitionRunTests
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void WhenARunReachesItsEventLimitThenTheFileHoldsRunBeginTheEventsFromOneAndRunEnd()
    {
        using var rig = new FrontEndRig();
        var applied = rig.FrontEnd.Configure(rig.Config);
        var started = rig.FrontEnd.StartRun(7, new Dictionary<string, object?> { ["operator"] = "test" }, eventLimit: 300);
        var summary = rig.FrontEnd.WaitForRunEnd(RunDeadline) ?? throw new TimeoutException("the run did not end");

        Assert.Equal(RunEndReasons.EventLimit, summary.Reason);
        Assert.Equal(300ul, summary.Events);
        Assert.Equal(RunFileNaming.PathFor(rig.Directory.Path, 7), started.File);
        Assert.EndsWith("run_000007.bdq", started.File);

        var run = RecordedRun.Read(started.File);
        Assert.Equal(RunFileEndState.CleanEnd, run.EndState);
        Assert.Equal(Topics.RunBegin, run.Records[0].Topic);
        Assert.Equal(Topics.RunEnd, run.Records[^1].Topic);
        Assert.Equal(7u, run.Begin.Run);
        Assert.Equal("test", run.Begin.Meta["operator"]);
        Assert.Equal(AppliedSettingsMap.ToMap(applied)["record_length"], run.Begin.Applied["record_length"]);
        Assert.Equal(500L, ((IReadOnlyDictionary<string, object?>)run.Begin.Config["digitizer"]!)["record_length"]);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (ulong)i), run.Events.Select(e => e.Trigger));
        Assert.All(run.Events, e => Assert.Equal(7u, e.Run));
        Assert.All(run.Events, e => Assert.Equal(500, e.Channels[0].SampleCount));
        Assert.Equal(300ul, run.End.Events);
        Assert.Equal(0ul, run.End.Missed);
        Assert.Equal(RunEndReasons.EventLimit, run.End.Reason);
        // Each event's dead time (ready → armed again) is measured: all but the last event are followed by an arm.
        Assert.Equal(299, summary.DeadTime.Events);
        Assert.True(summary.DeadTime.MedianSeconds > 0);
    }

    [Fact]
    public void WhenTheDeviceIsLostTwentyTimesInTenMinutesOfBeamThenEveryOutageIsRecordedWithItsMissedTriggersAndTheRunGoesOn()
    {
        var durations = Enumerable.Range(0, 20).Select(i => 0.5 + 0.2 * i).ToArray(); // 0.5 … 4.3 s
        string faults = string.Join(",", durations.Select((d, i) => FormattableString.Invariant($"remove@{120 + 135 * i}:{d}s")));
        using var rig = new FrontEndRig($"digitizer:\n  record_length: 64\nsimulator:\n  faults: \"{faults}\"\n");
        rig.FrontEnd.Configure(rig.Config);
        var started = rig.FrontEnd.StartRun(1, null, eventLimit: 2800);
        var summary = rig.FrontEnd.WaitForRunEnd(RunDeadline) ?? throw new TimeoutException("the run did not end");

        Assert.Equal(RunEndReasons.EventLimit, summary.Reason);
        Assert.Equal(2800ul, summary.Events);
        Assert.Equal(20, rig.Simulator.Counters.Removals);
        Assert.Equal(20, summary.Gaps.Count);

        var run = RecordedRun.Read(started.File);
        Assert.Equal(RunFileEndState.CleanEnd, run.EndState); // no corrupted record
        var events = run.Events;
        Assert.Equal(Enumerable.Range(1, 2800).Select(i => (ulong)i), events.Select(e => e.Trigger)); // none lost, none twice
        double beamMinutes = (events[^1].TimeNs - events[0].TimeNs) / 60e9;
        Assert.InRange(beamMinutes, 9.5, 11);

        // Every outage in the file: device-lost, then device-recovered with its gap right before the first event after it.
        var lost = run.Alarms.Where(a => a.Code == DaqAlarmCodes.DeviceLost).ToList();
        var recovered = run.Alarms.Where(a => a.Code == DaqAlarmCodes.DeviceRecovered).ToList();
        Assert.Equal(20, lost.Count);
        Assert.Equal(20, recovered.Count);

        ulong totalMissed = 0;
        for (int i = 0; i < run.Records.Count; i++)
        {
            if (run.Records[i].Topic != Topics.Alarm || run.Records[i].Map["code"] as string != DaqAlarmCodes.DeviceRecovered) continue;
            var gap = (IReadOnlyDictionary<string, object?>)run.Records[i].Map["gap"]!;
            var before = run.Records.Take(i).Last(r => r.Topic == Topics.Event).Event;
            var after = run.Records[i + 1].Event; // the gap is recorded just before the event that closed it
            // The truth from the bunch clock's timing: bunches 200 ms apart (jitter 0.5 ms) between the two events.
            ulong bunchesBetween = (ulong)Math.Round((after.TimeNs - before.TimeNs) / 0.2e9) - 1;
            Assert.Equal(bunchesBetween, Convert.ToUInt64(gap["missed"], CultureInfo.InvariantCulture));
            Assert.Equal("trigger-counter", gap["missed_source"]);
            double duration = (double)gap["duration_s"]!;
            int index = recovered.FindIndex(a => a.TimeNs == AlarmMessage.FromMap(run.Records[i].Map).TimeNs);
            Assert.InRange(duration, durations[index], durations[index] + 2.5); // the removal, plus at most one back-off step
            Assert.InRange(Math.Abs((long)gap["end_ns"]! - (long)gap["start_ns"]! - (long)Math.Round(duration * 1e9)), 0, 1000);
            totalMissed += bunchesBetween;
        }
        Assert.Equal(totalMissed, run.End.Missed);
        Assert.Equal(totalMissed, summary.Missed);
        Assert.Equal(20, ((IList<object?>)run.End.Extras["gaps"]!).Count);

        // … and in the log, each with its duration.
        var logged = rig.Log.Messages.Where(m => m.Contains("outage from", StringComparison.Ordinal) && m.Contains("back in run 1", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, logged.Count);
        foreach (var gap in summary.Gaps)
            Assert.Contains(logged, m => m.Contains(string.Create(CultureInfo.InvariantCulture, $"{gap.Duration!.Value.TotalSeconds:0.###} s outage"), StringComparison.Ordinal));
    }

    [Fact]
    public void WhenTheReconnectedDeviceTakesOtherSettingsThenTheRunEndsNamingTheDifference()
    {
        using var rig = new FrontEndRig("simulator:\n  faults: \"remove@50:1s\"\n",
            providerFactory: c => new DriftingProvider(new SimulatedHs4Provider(c.Simulator, new VirtualClock())));
        rig.FrontEnd.Configure(rig.Config);
        var started = rig.FrontEnd.StartRun(3, null, eventLimit: 500);
        var summary = rig.FrontEnd.WaitForRunEnd(RunDeadline) ?? throw new TimeoutException("the run did not end");

        Assert.StartsWith(RunEndReasons.SettingsChangedPrefix, summary.Reason);
        Assert.Contains("channels[0].range_v: 0.8 → 2", summary.Reason);
        Assert.True(summary.IsFailure);
        Assert.Equal(49ul, summary.Events);

        var run = RecordedRun.Read(started.File);
        Assert.Equal(RunFileEndState.CleanEnd, run.EndState);
        Assert.Equal(summary.Reason, run.End.Reason);
        Assert.Contains(run.Alarms, a => a.Code == DaqAlarmCodes.DeviceFailed && a.Message.Contains("range_v", StringComparison.Ordinal));
        var gap = Assert.Single((IList<object?>)run.End.Extras["gaps"]!);
        Assert.Null(((IReadOnlyDictionary<string, object?>)gap!)["end_ns"]); // it never resumed
    }

    [Fact]
    public void WhenTheDeviceStaysAwayLongerThanTheAllowedOutageThenTheRunEndsDeviceLostWithAnOpenGap()
    {
        using var rig = new FrontEndRig("simulator:\n  faults: \"remove@40:10min\"\n",
            options: c => AcquisitionOptions.From(c) with { MaxOutage = TimeSpan.FromSeconds(30) });
        rig.FrontEnd.Configure(rig.Config);
        var started = rig.FrontEnd.StartRun(4, null, eventLimit: 500);
        var summary = rig.FrontEnd.WaitForRunEnd(RunDeadline) ?? throw new TimeoutException("the run did not end");

        Assert.Equal(RunEndReasons.DeviceLost, summary.Reason);
        Assert.Equal(39ul, summary.Events);
        var gap = Assert.Single(summary.Gaps);
        Assert.Null(gap.End);
        Assert.Equal(MissedTriggerSource.EstimatedFromRate, gap.Source);
        Assert.InRange(gap.Missed, 145ul, 165ul); // ≈ 30 s of 5 Hz bunches
        var run = RecordedRun.Read(started.File);
        Assert.Equal(RunEndReasons.DeviceLost, run.End.Reason);
        Assert.Equal(RunFileEndState.CleanEnd, run.EndState);
    }

    [Fact]
    public void WhenTheRunIsStoppedWhileTheDeviceIsAwayThenItEndsAsAskedWithTheOutageOpen()
    {
        VanishingProvider? provider = null;
        using var rig = new FrontEndRig("simulator:\n  faults: \"remove@20:1s\"\n",
            providerFactory: c => provider = new VanishingProvider(new SimulatedHs4Provider(c.Simulator, new VirtualClock())));
        rig.FrontEnd.Configure(rig.Config);
        var started = rig.FrontEnd.StartRun(5);
        Eventually.True(() => rig.FrontEnd.Status().DeviceState == DeviceState.Lost && provider!.Attempts > 3, "the device is lost and being looked for");

        var summary = rig.FrontEnd.StopRun("operator")!;
        Assert.Equal("operator", summary.Reason);
        Assert.False(summary.IsFailure);
        Assert.Null(Assert.Single(summary.Gaps).End);
        var run = RecordedRun.Read(started.File);
        Assert.Equal("operator", run.End.Reason);
        Assert.Equal(19, run.Events.Count);
    }

    [Fact]
    public void WhenNoTriggerComesForTheWatchdogTimeThenOneAlarmIsRaisedAndTheRunGoesOn()
    {
        using var rig = new FrontEndRig("simulator:\n  faults: \"missing@30x20\"\nwatchdog_s: 1\n");
        rig.FrontEnd.Configure(rig.Config);
        var started = rig.FrontEnd.StartRun(6, null, eventLimit: 60);
        var summary = rig.FrontEnd.WaitForRunEnd(RunDeadline) ?? throw new TimeoutException("the run did not end");

        Assert.Equal(RunEndReasons.EventLimit, summary.Reason);
        Assert.Equal(60ul, summary.Events);
        var run = RecordedRun.Read(started.File);
        var noTrigger = Assert.Single(run.Alarms, a => a.Code == DaqAlarmCodes.NoTrigger);
        Assert.Contains("no trigger for 1 s in run 6", noTrigger.Message);
        var resumed = Assert.Single(run.Alarms, a => a.Code == DaqAlarmCodes.TriggerResumed);
        Assert.InRange((double)resumed.Extras["silence_s"]!, 3.5, 4.5); // 20 bunches at 5 Hz
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (ulong)i), run.Events.Select(e => e.Trigger));
        // The simulator's bunch counter sees the 20 bunches that brought no trigger.
        Assert.Equal(20ul, run.End.Missed);
        Assert.True(Convert.ToInt64(run.End.Extras["watchdog_expiries"], CultureInfo.InvariantCulture) >= 3);
    }

    [Fact]
    public void WhenAcquiringSteadilyThenTheRecordAndPublishPathAllocatesNothingPerEvent()
    {
        using var rig = new FrontEndRig("digitizer:\n  record_length: 2000\n", providerFactory: _ => new StaticDigitizerProvider());
        rig.FrontEnd.Configure(rig.Config);
        rig.FrontEnd.StartRun(8, null, eventLimit: 5000);
        var summary = rig.FrontEnd.WaitForRunEnd(RunDeadline) ?? throw new TimeoutException("the run did not end");

        Assert.Equal(5000ul, summary.Events);
        Assert.NotNull(summary.AllocatedBytesPerEvent);
        Assert.True(summary.AllocatedBytesPerEvent < 1, $"{summary.AllocatedBytesPerEvent:0.##} bytes allocated per event on the acquisition thread");
    }

    [Fact]
    public void WhenTheRunFileAlreadyExistsThenTheStartIsRefusedAndTheFileIsUntouched()
    {
        using var rig = new FrontEndRig();
        rig.FrontEnd.Configure(rig.Config);
        string path = RunFileNaming.PathFor(rig.Directory.Path, 9);
        File.WriteAllText(path, "an earlier run");

        var e = Assert.Throws<RunRefusedException>(() => rig.FrontEnd.StartRun(9));
        Assert.Contains(path, e.Message);
        Assert.Contains("never overwritten", e.Message);
        Assert.Equal("an earlier run", File.ReadAllText(path));
        Assert.False(rig.FrontEnd.IsRunning);
    }

    [Fact]
    public void WhenARunIsStartedWithoutConfigurationThenItIsRefused()
    {
        using var rig = new FrontEndRig();
        var e = Assert.Throws<RunRefusedException>(() => rig.FrontEnd.StartRun(1));
        Assert.Contains("configure", e.Message);
    }
}
