using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Tests.Facility.Support;

namespace BeamDAQ.Control.Tests.Facility;

public class HvSupplyProtocolTests
{
    [Fact]
    public async Task WhenStartedThenTheDetectorIsBiasedAndLeakageIsVoltageOverBulkResistance()
    {
        await using var facility = TestFacility.Start();
        await using var hv = await facility.ConnectAsync(FacilityDevice.HighVoltage);
        Assert.Equal("BeamDAQ,SIM-HV-1000,HV0001,1.0", await hv.QueryAsync("*IDN?"));
        Assert.Equal("1", await hv.QueryAsync("OUTP?"));
        Assert.Equal(500, await hv.QueryNumberAsync("VOLT?"));
        Assert.Equal(500, await hv.QueryNumberAsync("MEAS:VOLT?"));
        Assert.Equal(1e-9, await hv.QueryNumberAsync("MEAS:CURR?"), 15);
        Assert.Equal("0", await hv.QueryAsync("TRIP?"));
        Assert.Equal(1e-7, await hv.QueryNumberAsync("CURR:LIM?"), 15);
    }

    [Fact]
    public async Task WhenTheVoltageChangesThenItRampsAtTheConfiguredRate()
    {
        await using var facility = TestFacility.Start();
        await using var hv = await facility.ConnectAsync(FacilityDevice.HighVoltage);
        Assert.Equal("0,\"No error\"", await hv.CommandThenErrorAsync("VOLT -200"));
        facility.Clock.AdvanceSeconds(4);
        Assert.Equal(300, await hv.QueryNumberAsync("MEAS:VOLT?"), 6); // 50 V/s
        facility.Clock.AdvanceSeconds(20);
        Assert.Equal(-200, await hv.QueryNumberAsync("MEAS:VOLT?"), 6);
        Assert.Equal(4e-10, await hv.QueryNumberAsync("MEAS:CURR?"), 1e-16);
    }

    [Fact]
    public async Task WhenLeakageExceedsTheLimitThenTheSupplyTripsAndStaysOffUntilReset()
    {
        await using var facility = TestFacility.Start();
        await using var hv = await facility.ConnectAsync(FacilityDevice.HighVoltage);
        Assert.Equal("0,\"No error\"", await hv.CommandThenErrorAsync("SIM:LEAK 2e-7"));
        Assert.Equal("1", await hv.QueryAsync("TRIP?"));
        Assert.Equal("0", await hv.QueryAsync("OUTP?"));
        Assert.Equal(0, await hv.QueryNumberAsync("MEAS:VOLT?"));

        Assert.Equal("-221,\"Settings conflict;supply tripped; send TRIP:RES first\"", await hv.CommandThenErrorAsync("OUTP ON"));
        Assert.Equal("0,\"No error\"", await hv.CommandThenErrorAsync("SIM:LEAK 0"));
        Assert.Equal("0,\"No error\"", await hv.CommandThenErrorAsync("TRIP:RES"));
        Assert.Equal("0", await hv.QueryAsync("TRIP?"));
        Assert.Equal("0", await hv.QueryAsync("OUTP?")); // a reset does not switch the bias back on
        Assert.Equal("0,\"No error\"", await hv.CommandThenErrorAsync("OUTP ON"));
        facility.Clock.AdvanceSeconds(10);
        Assert.Equal(500, await hv.QueryNumberAsync("MEAS:VOLT?"));
        Assert.Equal("0", await hv.QueryAsync("TRIP?"));
    }

    [Fact]
    public async Task WhenTheTripLimitIsLoweredBelowTheLeakageThenTheSupplyTrips()
    {
        await using var facility = TestFacility.Start();
        await using var hv = await facility.ConnectAsync(FacilityDevice.HighVoltage);
        Assert.Equal("0,\"No error\"", await hv.CommandThenErrorAsync("CURR:LIM 5e-10"));
        Assert.Equal("1", await hv.QueryAsync("TRIP?"));
    }

    [Theory]
    [InlineData("VOLT 1200", "-222,\"Data out of range;voltage 1200 V outside [-1000, 1000] V\"")]
    [InlineData("CURR:LIM 1e-3", "-222,\"Data out of range;trip limit 0.001 A outside [1E-12, 1E-05] A\"")]
    [InlineData("VOLT", "-109,\"Missing parameter;VOLT needs 1 parameter(s)\"")]
    [InlineData("TRIP:RES 1", "-108,\"Parameter not allowed;TRIP:RES takes no parameter\"")]
    [InlineData("TRIP 1", "-113,\"Undefined header;TRIP\"")]
    [InlineData("OUTP", "-109,\"Missing parameter;OUTP needs ON|OFF\"")]
    public async Task WhenACommandIsBadThenTheErrorQueueSaysWhy(string command, string expected)
    {
        await using var facility = TestFacility.Start();
        await using var hv = await facility.ConnectAsync(FacilityDevice.HighVoltage);
        Assert.Equal(expected, await hv.CommandThenErrorAsync(command));
        Assert.Equal(500, await hv.QueryNumberAsync("VOLT?"));
    }
}
