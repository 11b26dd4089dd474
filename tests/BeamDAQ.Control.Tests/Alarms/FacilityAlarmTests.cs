using BeamDAQ.Control.Alarms;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Tests.Facility.Support;
using Serilog.Core;

namespace BeamDAQ.Control.Tests.Alarms;

/// <summary>The whole chain over real TCP: simulated fault → device → client → poller → engine → one raise, one clear.</summary>
public class FacilityAlarmTests
{
    private static (AlarmEngine Engine, List<AlarmTransition> Transitions) Engine(TestFacility facility)
    {
        var engine = new AlarmEngine(AlarmRuleSet.FromConfig(facility.Config.Alarms), facility.Clock, Logger.None);
        var transitions = new List<AlarmTransition>();
        engine.Subscribe(transitions.Add);
        return (engine, transitions);
    }

    [Fact]
    public async Task WhenTheCoilTemperatureStepsDownBy3KThenFallingFastIsRaisedOnceAndClearedOnce()
    {
        await using var facility = TestFacility.Start();
        await using var poller = facility.Devices.CreatePoller();
        var (engine, transitions) = Engine(facility);
        poller.Subscribe(engine);

        for (int i = 0; i < 4; i++)
        {
            await poller.PollOnceAsync();
            facility.Clock.AdvanceSeconds(1);
        }
        Assert.Empty(transitions);

        facility.Sim.Temperatures.InjectStep(1, -3.0); // magnet_coil
        for (int i = 0; i < 6; i++)
        {
            await poller.PollOnceAsync();
            facility.Clock.AdvanceSeconds(1);
        }

        Assert.Equal(2, transitions.Count);
        Assert.Equal(AlarmTransitionKind.Raised, transitions[0].Kind);
        Assert.Equal(AlarmCodes.TemperatureFallingFast, transitions[0].Alarm.Code);
        Assert.Equal("temperatures/magnet_coil", transitions[0].Alarm.Source);
        Assert.Equal(AlarmTransitionKind.Cleared, transitions[1].Kind);
        // Polled every second: the last 27 °C sample leaves the 2 s window two polls after the step.
        Assert.Equal(transitions[0].Time + TimeSpan.FromSeconds(2), transitions[1].Time);
    }

    [Fact]
    public async Task WhenTheHvTripsAndIsResetThenHvTripIsRaisedOnceAndClearedOnce()
    {
        await using var facility = TestFacility.Start();
        await using var poller = facility.Devices.CreatePoller();
        var (engine, transitions) = Engine(facility);
        poller.Subscribe(engine);

        await poller.PollOnceAsync();
        facility.Sim.HighVoltage.InjectLeakage(1e-6);
        await poller.PollOnceAsync();
        await poller.PollOnceAsync();
        facility.Sim.HighVoltage.InjectLeakage(0);
        Assert.True((await facility.Devices.HighVoltage.ResetTripAsync()).IsOk);
        await poller.PollOnceAsync();

        Assert.Equal([AlarmTransitionKind.Raised, AlarmTransitionKind.Cleared], transitions.Select(t => t.Kind));
        Assert.All(transitions, t => Assert.Equal(AlarmCodes.HvTrip, t.Alarm.Code));
    }

    [Fact]
    public async Task WhenADeviceStopsAnsweringThenDeviceLostIsRaisedOnceAndClearedWhenItIsBack()
    {
        await using var facility = TestFacility.Start();
        await using var poller = facility.Devices.CreatePoller();
        var (engine, transitions) = Engine(facility);
        poller.Subscribe(engine);
        await poller.PollOnceAsync();

        var server = facility.Sim.Server(FacilityDevice.Collimators);
        server.Pause();
        for (int i = 0; i < 3; i++)
        {
            await poller.PollOnceAsync();
            facility.Clock.AdvanceSeconds(0.2);
        }
        server.Resume();
        facility.Clock.AdvanceSeconds(10);
        await poller.PollOnceAsync();

        Assert.Equal(2, transitions.Count);
        Assert.Equal(AlarmCodes.DeviceLost, transitions[0].Alarm.Code);
        Assert.Equal("collimators", transitions[0].Alarm.Source);
        Assert.Equal(AlarmTransitionKind.Cleared, transitions[1].Kind);
    }
}
