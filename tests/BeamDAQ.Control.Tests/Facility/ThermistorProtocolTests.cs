using BeamDAQ.Control.Facility;
using BeamDAQ.Control.SlowControl.Calibration;
using BeamDAQ.Control.Tests.Facility.Support;

namespace BeamDAQ.Control.Tests.Facility;

public class ThermistorProtocolTests
{
    [Fact]
    public async Task WhenChannelsAreListedThenCountAndNamesFollowTheConfiguration()
    {
        await using var facility = TestFacility.Start();
        await using var ntc = await facility.ConnectAsync(FacilityDevice.Temperatures);
        Assert.Equal("BeamDAQ,SIM-NTC-8,NTC0001,1.0", await ntc.QueryAsync("*IDN?"));
        Assert.Equal("4", await ntc.QueryAsync("CHAN:COUN?"));
        Assert.Equal("diamond", await ntc.QueryAsync("CHAN:NAME? 1"));
        Assert.Equal("hall", await ntc.QueryAsync("CHANNEL:NAME? 4"));
    }

    [Fact]
    public async Task WhenAResistanceIsReadThenItIsTheSensorCurveAtTheChannelsTemperature()
    {
        await using var facility = TestFacility.Start();
        await using var ntc = await facility.ConnectAsync(FacilityDevice.Temperatures);
        var curve = NtcConversions.SensorCurve(facility.Config.Temperatures.Thermistor);
        for (int channel = 1; channel <= 4; channel++)
        {
            double ohm = await ntc.QueryNumberAsync($"MEAS:RES? {channel}");
            double expected = facility.Sim.Temperatures.TrueTemperatureC(channel - 1);
            Assert.InRange(curve.TemperatureC(ohm), expected - 0.03, expected + 0.03); // read noise 0.005 K
        }
        // The diamond at 22 °C: a 10 kΩ-class NTC reads a little above its 25 °C value.
        Assert.InRange(await ntc.QueryNumberAsync("MEAS:RES? 1"), 11000, 11250);
    }

    [Fact]
    public async Task WhenTimePassesThenTemperaturesDriftSlowly()
    {
        await using var facility = TestFacility.Start();
        double start = facility.Sim.Temperatures.TrueTemperatureC(0);
        facility.Clock.AdvanceSeconds(2);
        double twoSecondsLater = facility.Sim.Temperatures.TrueTemperatureC(0);
        facility.Clock.AdvanceSeconds(900 - 2); // a quarter period of the diamond's 1 h drift
        double quarterLater = facility.Sim.Temperatures.TrueTemperatureC(0);
        Assert.InRange(Math.Abs(twoSecondsLater - start), 0, 0.01);
        Assert.InRange(Math.Abs(quarterLater - start), 0.1, 0.2 + 1e-9);
    }

    [Fact]
    public async Task WhenAStepOrRampIsInjectedOverTheWireThenTheTemperatureFollowsIt()
    {
        await using var facility = TestFacility.Start();
        await using var ntc = await facility.ConnectAsync(FacilityDevice.Temperatures);
        double before = facility.Sim.Temperatures.TrueTemperatureC(1);
        Assert.Equal("0,\"No error\"", await ntc.CommandThenErrorAsync("SIM:STEP 2,-3"));
        Assert.Equal(before - 3, facility.Sim.Temperatures.TrueTemperatureC(1), 3);
        Assert.Equal("0,\"No error\"", await ntc.CommandThenErrorAsync("SIM:RAMP 2,0.5,4"));
        facility.Clock.AdvanceSeconds(10);
        Assert.Equal(before - 3 + 2, facility.Sim.Temperatures.TrueTemperatureC(1), 2); // ramp ended after 4 s
        Assert.Equal("0,\"No error\"", await ntc.CommandThenErrorAsync("SIM:CLE"));
        Assert.Equal(before, facility.Sim.Temperatures.TrueTemperatureC(1), 2);
    }

    [Theory]
    [InlineData("MEAS:RES? 5", "-222,\"Data out of range;channel 5 outside [1, 4]\"")]
    [InlineData("MEAS:RES? 0", "-222,\"Data out of range;channel 0 outside [1, 4]\"")]
    [InlineData("MEAS:RES? 1.5", "-222,\"Data out of range;channel 1.5 outside [1, 4]\"")]
    [InlineData("MEAS:RES?", "-109,\"Missing parameter;MEAS:RES needs 1 parameter(s)\"")]
    [InlineData("MEAS:RES? one", "-104,\"Data type error;'one' is not a number\"")]
    [InlineData("MEAS:TEMP? 1", "-113,\"Undefined header;MEAS:TEMP?\"")]
    [InlineData("SIM:RAMP 1,0.5,-2", "-222,\"Data out of range;ramp duration -2 s below 0 s\"")]
    public async Task WhenAQueryIsBadThenNoReplyComesAndTheErrorQueueSaysWhy(string command, string expected)
    {
        await using var facility = TestFacility.Start();
        await using var ntc = await facility.ConnectAsync(FacilityDevice.Temperatures);
        Assert.Equal(expected, await ntc.CommandThenErrorAsync(command));
    }
}
