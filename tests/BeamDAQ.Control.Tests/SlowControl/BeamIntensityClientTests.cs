using BeamDAQ.Control.Facility;
using BeamDAQ.Control.SlowControl.Clients;
using Serilog.Core;
using BeamDAQ.Control.Tests.Facility.Support;

namespace BeamDAQ.Control.Tests.SlowControl;

public class BeamIntensityClientTests
{
    [Fact]
    public async Task WhenRefreshedThenCurrentLambdaIsTheBeamPortsValueForTheCollimatorSetting()
    {
        await using var facility = TestFacility.Start();
        await using var intensity = facility.Devices.CreateBeamIntensity();
        Assert.Equal(0, intensity.CurrentLambda()); // nothing read yet
        Assert.True((await intensity.RefreshAsync()).IsOk);
        Assert.Equal(2.8, intensity.CurrentLambda(), 2);

        Assert.True((await facility.Devices.Collimators.SetApertureAsync(CollimatorId.Exit, 1.2, 3.1)).IsOk);
        facility.Clock.AdvanceSeconds(5);
        await intensity.RefreshAsync();
        Assert.InRange(intensity.CurrentLambda(), 0.7 * 0.98, 0.7 * 1.02);
        Assert.Equal(intensity.CurrentLambda(), intensity.MeanElectronsPerBunch(DateTimeOffset.UtcNow));
        Assert.Equal(facility.Clock.UtcNow, intensity.LastUpdate);
    }

    [Fact]
    public async Task WhenTheBeamPortIsLostThenTheLastLambdaIsKeptAndTheMissCounted()
    {
        await using var facility = TestFacility.Start();
        await using var intensity = new BeamIntensityClient(
            new BeamMonitorClient(facility.ImpatientLine(FacilityDevice.Beam), facility.Clock), TimeSpan.FromSeconds(1), facility.Clock, Logger.None);
        await intensity.RefreshAsync();
        facility.Sim.Server(FacilityDevice.Beam).Unresponsive = true;
        var result = await intensity.RefreshAsync();
        Assert.True(result.IsLost);
        Assert.Equal(2.8, intensity.CurrentLambda(), 2);
        Assert.Equal(1, intensity.FailedRefreshes);
        Assert.Equal(1, intensity.Refreshes);
    }

    [Fact]
    public async Task WhenStartedThenTheBackgroundLoopKeepsLambdaCurrent()
    {
        await using var facility = TestFacility.Start();
        await using var intensity = facility.Devices.CreateBeamIntensity();
        intensity.Start();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (intensity.Refreshes < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.True(intensity.Refreshes >= 2);
        facility.Sim.Beam.On = false;
        long seen = intensity.Refreshes;
        while ((intensity.Refreshes < seen + 2 || intensity.CurrentLambda() != 0) && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.Equal(0, intensity.CurrentLambda());
    }
}
