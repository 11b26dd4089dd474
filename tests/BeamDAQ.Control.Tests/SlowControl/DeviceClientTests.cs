using BeamDAQ.Control.Facility;
using BeamDAQ.Control.SlowControl.Clients;
using BeamDAQ.Control.SlowControl.Transport;
using BeamDAQ.Control.Tests.Facility.Support;

namespace BeamDAQ.Control.Tests.SlowControl;

public class DeviceClientTests
{
    [Fact]
    public async Task WhenTheMagnetClientSetsACurrentThenTheSupplyRampsToIt()
    {
        await using var facility = TestFacility.Start();
        var magnet = facility.Devices.Magnet;
        Assert.True((await magnet.SetCurrentAsync(15)).IsOk);
        Assert.Equal(15, (await magnet.GetSetCurrentAsync()).Value);
        facility.Clock.AdvanceSeconds(1);
        Assert.Equal(13.869, (await magnet.MeasureCurrentAsync()).Value, 5);
        Assert.True((await magnet.GetOutputAsync()).Value);
    }

    [Fact]
    public async Task WhenASettingIsOutOfRangeThenTheClientReportsTheInstrumentsErrorAsRejected()
    {
        await using var facility = TestFacility.Start();
        var result = await facility.Devices.Magnet.SetCurrentAsync(55);
        Assert.Equal(DeviceOutcome.Rejected, result.Outcome);
        Assert.Contains("-222,\"Data out of range;current 55 A outside [0, 50] A\"", result.Problem);
        Assert.Equal(0, (await facility.Devices.Magnet.Scpi.NextErrorAsync()).Value.Code); // the queue was drained
    }

    [Fact]
    public async Task WhenAnEnergyIsSelectedThenTheMagnetCurrentFollowsTheCalibration()
    {
        await using var facility = TestFacility.Start();
        var magnet = facility.Devices.Magnet;
        Assert.True((await magnet.SelectEnergyAsync(1.5)).IsOk);
        facility.Clock.AdvanceSeconds(30);
        Assert.Equal(1.5, (await facility.Devices.Beam.GetEnergyAsync()).Value, 4);
        Assert.Equal(DeviceOutcome.Rejected, (await magnet.SelectEnergyAsync(50)).Outcome);
    }

    [Fact]
    public async Task WhenTheCollimatorClientSetsAnApertureThenItReportsMovingThenSettledAtThatOpening()
    {
        await using var facility = TestFacility.Start();
        var collimators = facility.Devices.Collimators;
        Assert.True((await collimators.SetApertureAsync(CollimatorId.Exit, 6.9, 3.1)).IsOk);
        Assert.Equal(CollimatorMotion.Moving, (await collimators.GetMotionAsync(CollimatorId.Exit)).Value);
        facility.Clock.AdvanceSeconds(5);
        Assert.Equal(CollimatorMotion.Settled, (await collimators.GetMotionAsync(CollimatorId.Exit)).Value);
        var aperture = (await collimators.GetApertureAsync(CollimatorId.Exit)).Value;
        Assert.InRange(aperture.X, 6.9 - 0.02, 6.9 + 0.02);
        Assert.InRange(aperture.Y, 3.1 - 0.02, 3.1 + 0.02);
        var targets = (await collimators.GetTargetsAsync(CollimatorId.Exit)).Value;
        Assert.Equal(JawPositions.Centred(6.9, 3.1), targets);
    }

    [Fact]
    public async Task WhenTheCollimatorRefusesThenTheClientReturnsTheMastersError()
    {
        await using var facility = TestFacility.Start();
        var collimators = facility.Devices.Collimators;
        var result = await collimators.SetJawAsync(CollimatorId.Entrance, JawId.Bottom, 5);
        Assert.Equal(DeviceOutcome.Rejected, result.Outcome);
        Assert.Contains("ERR 4 entrance aperture y -4.1 mm: jaws would cross", result.Problem);
        Assert.True((await collimators.SetPositionsAsync(CollimatorId.Entrance, new JawPositions(-2, 2, 1, -1))).IsOk);
        Assert.True((await collimators.StopAsync(CollimatorId.Entrance)).IsOk);
    }

    [Fact]
    public async Task WhenTheHvClientSeesATripThenResetAndSwitchOnRestoreTheBias()
    {
        await using var facility = TestFacility.Start();
        var hv = facility.Devices.HighVoltage;
        Assert.Equal(1e-9, (await hv.MeasureCurrentAsync()).Value, 15);
        facility.Sim.HighVoltage.InjectLeakage(5e-7);
        Assert.True((await hv.IsTrippedAsync()).Value);
        Assert.Equal(DeviceOutcome.Rejected, (await hv.SetOutputAsync(true)).Outcome);
        facility.Sim.HighVoltage.InjectLeakage(0);
        Assert.True((await hv.ResetTripAsync()).IsOk);
        Assert.True((await hv.SetOutputAsync(true)).IsOk);
        Assert.True((await hv.SetVoltageAsync(300)).IsOk);
        Assert.True((await hv.SetTripLimitAsync(2e-7)).IsOk);
        Assert.Equal(2e-7, (await hv.GetTripLimitAsync()).Value, 15);
        facility.Clock.AdvanceSeconds(10);
        Assert.Equal(300, (await hv.MeasureVoltageAsync()).Value);
        Assert.False((await hv.IsTrippedAsync()).Value);
    }

    [Fact]
    public async Task WhenTheThermistorClientReadsThenTemperaturesMatchTheFacilitysWithinReadNoise()
    {
        await using var facility = TestFacility.Start();
        var ntc = facility.Devices.Temperatures;
        var names = (await ntc.GetChannelNamesAsync()).Value;
        Assert.Equal(["diamond", "magnet_coil", "hv_supply", "hall"], names);
        for (int channel = 1; channel <= names.Count; channel++)
        {
            double expected = facility.Sim.Temperatures.TrueTemperatureC(channel - 1);
            Assert.InRange((await ntc.ReadTemperatureAsync(channel)).Value, expected - 0.03, expected + 0.03);
        }
        var outside = await ntc.ReadResistanceAsync(9);
        Assert.Equal(DeviceOutcome.Rejected, outside.Outcome);
        Assert.Equal("temperatures: channel 9 outside [1, 4]", outside.Problem);
    }

    [Fact]
    public async Task WhenTheBeamClientSwitchesTheBeamThenLambdaFollows()
    {
        await using var facility = TestFacility.Start();
        var beam = facility.Devices.Beam;
        Assert.Equal(2.8, (await beam.GetLambdaAsync()).Value, 2);
        Assert.True((await beam.SetBeamOnAsync(false)).IsOk);
        Assert.Equal(0, (await beam.GetLambdaAsync()).Value);
        Assert.False((await beam.GetBeamOnAsync()).Value);
        Assert.Equal(5, (await beam.GetBunchRateAsync()).Value);
    }
}
