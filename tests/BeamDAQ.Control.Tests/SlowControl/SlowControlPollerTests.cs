using BeamDAQ.Control.Facility;
using BeamDAQ.Control.SlowControl;
using BeamDAQ.Control.SlowControl.Clients;
using BeamDAQ.Control.SlowControl.Polling;
using BeamDAQ.Control.Tests.Facility.Support;
using Serilog.Core;

namespace BeamDAQ.Control.Tests.SlowControl;

public class SlowControlPollerTests
{
    /// <summary>Collects what the poller delivers.</summary>
    private sealed class Recorder : ISlowControlObserver
    {
        public List<SlowControlReading> Readings { get; } = [];
        public List<DeviceStateChange> Changes { get; } = [];
        public void OnReading(SlowControlReading reading) => Readings.Add(reading);
        public void OnDeviceState(DeviceStateChange change) => Changes.Add(change);

        public double Value(string device, string quantity) =>
            Readings.Last(r => r.Device == device && r.Quantity == quantity).Value;
    }

    private sealed class Throwing : ISlowControlObserver
    {
        public void OnReading(SlowControlReading reading) => throw new InvalidOperationException("subscriber bug");
        public void OnDeviceState(DeviceStateChange change) => throw new InvalidOperationException("subscriber bug");
    }

    [Fact]
    public async Task WhenEveryDeviceAnswersThenOnePollDeliversEveryQuantityWithUnitAndTime()
    {
        await using var facility = TestFacility.Start();
        await using var poller = facility.Devices.CreatePoller();
        var recorder = new Recorder();
        poller.Subscribe(recorder);

        var polls = await poller.PollOnceAsync();

        Assert.All(polls, p => Assert.True(p.Online && p.Problem.Length == 0, $"{p.Device}: {p.Problem}"));
        Assert.Equal(["beam", "collimators", "hv", "magnet", "temperatures"], recorder.Changes.Select(c => c.Device).Order());
        Assert.All(recorder.Changes, c => Assert.True(c.Online));
        Assert.All(recorder.Readings, r => Assert.Equal(facility.Clock.UtcNow, r.Time));

        Assert.Equal(11.869, recorder.Value("magnet", "current"), 5);
        Assert.Equal(2.7, recorder.Value("magnet", "energy"), 3);
        Assert.Equal("T", recorder.Readings.Single(r => r.Quantity == "field").Unit);
        Assert.Equal(9.9, recorder.Value("collimators", "exit.aperture_x"), 3);
        Assert.Equal(1.8, recorder.Value("collimators", "entrance.aperture_y"), 3);
        Assert.Equal(0, recorder.Value("collimators", "exit.moving"));
        Assert.Equal(500, recorder.Value("hv", "voltage"));
        Assert.Equal(0, recorder.Value("hv", "tripped"));
        Assert.InRange(recorder.Value("temperatures", "temperature.diamond"), 21.7, 22.3);
        Assert.Equal("degC", recorder.Readings.First(r => r.Quantity == "temperature.hall").Unit);
        Assert.Equal(2.8, recorder.Value("beam", "lambda"), 2);
        Assert.Equal(poller.ReadingsDelivered, recorder.Readings.Count);
    }

    [Fact]
    public async Task WhenADeviceStopsAnsweringThenItIsReportedLostOnceWithinItsTimeOutAndTheOthersGoOn()
    {
        await using var facility = TestFacility.Start();
        var d = facility.Devices;
        await using var hvClient = new HvSupplyClient(facility.ImpatientLine(FacilityDevice.HighVoltage), facility.Clock);
        await using var poller = new SlowControlPoller([d.Magnet, d.Collimators, hvClient, d.Temperatures, d.Beam],
            TimeSpan.FromSeconds(1), facility.Clock, Logger.None);
        var recorder = new Recorder();
        poller.Subscribe(recorder);
        await poller.PollOnceAsync();
        recorder.Changes.Clear();

        facility.Sim.Server(FacilityDevice.HighVoltage).Unresponsive = true;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var polls = await poller.PollOnceAsync(deadline.Token);
        facility.Clock.AdvanceSeconds(0.1); // inside the back-off: the next poll fails at once
        var second = await poller.PollOnceAsync(deadline.Token);

        var hv = polls.Single(p => p.Device == "hv");
        Assert.False(hv.Online);
        Assert.Contains("within 500 ms", hv.Problem);
        Assert.Empty(hv.Readings);
        Assert.All(polls.Where(p => p.Device != "hv"), p => Assert.True(p.Online));
        Assert.All(second.Where(p => p.Device != "hv"), p => Assert.True(p.Online));
        var change = Assert.Single(recorder.Changes); // raised once, not per poll
        Assert.Equal(new DeviceStateChange("hv", false, hv.Problem, change.Time), change);
        Assert.False(poller.Online["hv"]);
        Assert.True(poller.Online["magnet"]);

        facility.Sim.Server(FacilityDevice.HighVoltage).Unresponsive = false;
        facility.Clock.AdvanceSeconds(1); // past the 0.5 s back-off
        await poller.PollOnceAsync(deadline.Token);
        Assert.Equal(2, recorder.Changes.Count);
        Assert.True(recorder.Changes[1].Online);
        Assert.Equal(500, recorder.Value("hv", "voltage"));
    }

    [Fact]
    public async Task WhenASubscriberThrowsThenTheOthersStillReceiveAndTheFailureIsCounted()
    {
        await using var facility = TestFacility.Start();
        await using var poller = facility.Devices.CreatePoller();
        poller.Subscribe(new Throwing());
        var recorder = new Recorder();
        poller.Subscribe(recorder);
        await poller.PollOnceAsync();
        Assert.NotEmpty(recorder.Readings);
        Assert.Equal(recorder.Readings.Count + recorder.Changes.Count, poller.SubscriberFailures);
    }

    [Fact]
    public async Task WhenUnsubscribedThenNothingMoreArrives()
    {
        await using var facility = TestFacility.Start();
        await using var poller = facility.Devices.CreatePoller();
        var recorder = new Recorder();
        var subscription = poller.Subscribe(recorder);
        await poller.PollOnceAsync();
        int count = recorder.Readings.Count;
        subscription.Dispose();
        await poller.PollOnceAsync();
        Assert.Equal(count, recorder.Readings.Count);
    }

    [Fact]
    public async Task WhenRunningThenItPollsAtItsIntervalUntilCancelled()
    {
        await using var facility = TestFacility.Start();
        var poller = new SlowControlPoller([facility.Devices.Beam], TimeSpan.FromMilliseconds(50), facility.Clock, Logger.None);
        var recorder = new Recorder();
        poller.Subscribe(recorder);
        using var stop = new CancellationTokenSource();
        var run = poller.RunAsync(stop.Token);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (poller.ReadingsDelivered < 9 && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(poller.ReadingsDelivered >= 9, $"only {poller.ReadingsDelivered} readings"); // three polls of three quantities
    }
}
