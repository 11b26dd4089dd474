using BeamDAQ.Control.Alarms;
using BeamDAQ.Control.SlowControl;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Tests.Alarms;

public class DaqAndDeviceAlarmTests
{
    private static void Heartbeats(AlarmBench bench, bool running, uint run, params ulong[] triggers)
    {
        foreach (ulong count in triggers)
        {
            bench.Clock.AdvanceSeconds(1);
            bench.Engine.OnDaqHeartbeat(new DaqHeartbeat(bench.Clock.UtcNow, running, run, count));
        }
    }

    [Fact]
    public void WhenARunningDaqCountsNoTriggerForTheLimitThenNoTriggerIsRaisedOnceAndClearedByTheNextTrigger()
    {
        var bench = new AlarmBench(); // no_trigger_s = 10
        Heartbeats(bench, true, 5, 5, 10, 15);
        Heartbeats(bench, true, 5, Enumerable.Repeat(15UL, 12).ToArray());
        var raised = Assert.Single(bench.Raised(AlarmCodes.NoTrigger));
        Assert.Equal("daq", raised.Alarm.Source);
        Assert.Equal(AlarmSeverity.Error, raised.Alarm.Severity);
        Assert.Equal("no trigger for 10 s in run 5 (limit 10 s, 15 triggers so far)", raised.Message);

        Heartbeats(bench, true, 5, 16);
        var cleared = Assert.Single(bench.Cleared(AlarmCodes.NoTrigger));
        Assert.Equal(raised.Time + TimeSpan.FromSeconds(3), cleared.Time);
    }

    [Fact]
    public void WhenHeartbeatsStopDuringARunThenClockTicksStillRaiseNoTrigger()
    {
        var bench = new AlarmBench();
        Heartbeats(bench, true, 1, 100);
        for (int i = 0; i < 15; i++)
        {
            bench.Clock.AdvanceSeconds(1);
            bench.Engine.Tick();
        }
        Assert.Single(bench.Raised(AlarmCodes.NoTrigger));
    }

    [Fact]
    public void WhenTheDaqIsNotRunningOrARunJustStartedThenNoTriggerStaysQuietAndAnActiveOneClears()
    {
        var bench = new AlarmBench();
        Heartbeats(bench, false, 0, Enumerable.Repeat(0UL, 20).ToArray());
        Assert.Empty(bench.Transitions);

        Heartbeats(bench, true, 2, Enumerable.Repeat(0UL, 11).ToArray());
        Assert.Single(bench.Raised(AlarmCodes.NoTrigger)); // counted from the run's first heartbeat
        Heartbeats(bench, false, 2, 0);
        Assert.Single(bench.Cleared(AlarmCodes.NoTrigger));
        Heartbeats(bench, true, 3, 0, 0, 0);
        Assert.Single(bench.Raised(AlarmCodes.NoTrigger));
    }

    [Fact]
    public void WhenAStatusMessageArrivesThenTheHeartbeatCountsRecordedAndMissedTriggers()
    {
        var status = new DaqStatusMessage
        {
            State = "Running", Run = 7, TriggerRateHz = 5, Events = 100, Missed = 3, DeadTimeFraction = 0,
            BytesWritten = 0, DeviceState = "ok", Dropped = 0, TimeNs = 1_700_000_000_000_000_000,
        };
        var heartbeat = DaqHeartbeat.FromStatus(status, DateTimeOffset.UnixEpoch);
        Assert.Equal(new DaqHeartbeat(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), true, 7, 103), heartbeat);
        Assert.False(DaqHeartbeat.FromStatus(status with { State = "Configured" }, DateTimeOffset.UnixEpoch).Running);
    }

    [Fact]
    public void WhenADeviceIsLostThenDeviceLostIsRaisedOnceAndClearedWhenItAnswers()
    {
        var bench = new AlarmBench();
        var t = bench.Clock.UtcNow;
        bench.Engine.OnDeviceState(new DeviceStateChange("hv", true, "", t));
        bench.Engine.OnDeviceState(new DeviceStateChange("hv", false, "no answer to 'MEAS:VOLT?' within 300 ms", t.AddSeconds(1)));
        bench.Engine.OnDeviceState(new DeviceStateChange("hv", false, "next reconnect attempt in 0.5 s", t.AddSeconds(2)));
        bench.Engine.OnDeviceState(new DeviceStateChange("magnet", false, "cannot connect", t.AddSeconds(2)));
        bench.Engine.OnDeviceState(new DeviceStateChange("hv", true, "", t.AddSeconds(3)));

        Assert.Equal(2, bench.Raised(AlarmCodes.DeviceLost).Count());
        var hv = bench.Raised(AlarmCodes.DeviceLost).Single(a => a.Alarm.Source == "hv");
        Assert.Equal("hv lost: no answer to 'MEAS:VOLT?' within 300 ms", hv.Message);
        Assert.Equal(t.AddSeconds(3), bench.Cleared(AlarmCodes.DeviceLost).Single().Time);
        Assert.Equal("magnet", bench.Engine.Active.Single().Source);
    }

    [Fact]
    public void WhenTheHvTripsThenACriticalAlarmIsRaisedOnceAndClearedAfterReset()
    {
        var bench = new AlarmBench();
        foreach (double tripped in new[] { 0.0, 1.0, 1.0, 1.0, 0.0, 0.0 })
        {
            bench.Clock.AdvanceSeconds(1);
            bench.Engine.OnReading(new SlowControlReading("hv", "tripped", tripped, "", bench.Clock.UtcNow));
        }
        var raised = Assert.Single(bench.Raised(AlarmCodes.HvTrip));
        Assert.Equal(AlarmSeverity.Critical, raised.Alarm.Severity);
        Assert.Single(bench.Cleared(AlarmCodes.HvTrip));
        Assert.Equal(2, bench.Transitions.Count);
    }

    [Fact]
    public void WhenAListenerThrowsThenOtherListenersStillGetTheTransitionAndTheFailureIsCounted()
    {
        var bench = new AlarmBench();
        bench.Engine.Subscribe(_ => throw new InvalidOperationException("listener bug"));
        var late = new List<AlarmTransition>();
        bench.Engine.Subscribe(late.Add);
        bench.Engine.OnDeviceState(new DeviceStateChange("beam", false, "gone", bench.Clock.UtcNow));
        Assert.Single(late);
        Assert.Single(bench.Transitions);
        Assert.Equal(1, bench.Engine.ListenerFailures);
    }

    [Fact]
    public void WhenATransitionIsPublishedThenTheAlarmMapCarriesTimeSourceSeverityCodeMessageAndState()
    {
        var bench = new AlarmBench();
        var t = new DateTimeOffset(2024, 5, 6, 12, 0, 0, TimeSpan.Zero);
        var raised = bench.Engine.Evaluate(new DeviceStateInput(new DeviceStateChange("magnet", false, "cannot connect", t))).Single();
        var map = raised.ToMessage().ToMap();
        Assert.Equal((t - DateTimeOffset.UnixEpoch).Ticks * 100, map["t_ns"]);
        Assert.Equal("magnet", map["source"]);
        Assert.Equal("error", map["severity"]);
        Assert.Equal("device-lost", map["code"]);
        Assert.Equal("magnet lost: cannot connect", map["message"]);
        Assert.Equal("raised", map["state"]);
        var cleared = bench.Engine.Evaluate(new DeviceStateInput(new DeviceStateChange("magnet", true, "", t.AddSeconds(5)))).Single();
        Assert.Equal("cleared", cleared.ToMessage().ToMap()["state"]);
    }
}
