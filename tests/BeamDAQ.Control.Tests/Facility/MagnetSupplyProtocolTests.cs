using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Tests.Facility.Support;

namespace BeamDAQ.Control.Tests.Facility;

public class MagnetSupplyProtocolTests
{
    [Fact]
    public async Task WhenIdentifiedThenTheSupplyNamesItself()
    {
        await using var facility = TestFacility.Start();
        await using var magnet = await facility.ConnectAsync(FacilityDevice.Magnet);
        Assert.Equal("BeamDAQ,SIM-MPS-5018,MPS0001,1.0", await magnet.QueryAsync("*IDN?"));
        Assert.Equal("1", await magnet.QueryAsync("*OPC?"));
    }

    [Fact]
    public async Task WhenStartedThenTheSupplyIsOnAtTheDefaultCurrent()
    {
        await using var facility = TestFacility.Start();
        await using var magnet = await facility.ConnectAsync(FacilityDevice.Magnet);
        Assert.Equal("1", await magnet.QueryAsync("OUTP?"));
        Assert.Equal(11.869, await magnet.QueryNumberAsync("SOUR:CURR?"), 6);
        Assert.Equal(11.869, await magnet.QueryNumberAsync("MEAS:CURR?"), 6);
        Assert.Equal(11.869 * 0.3, await magnet.QueryNumberAsync("MEAS:VOLT?"), 5);
    }

    [Fact]
    public async Task WhenTheSetPointChangesThenTheCurrentRampsAtTheConfiguredRate()
    {
        await using var facility = TestFacility.Start();
        await using var magnet = await facility.ConnectAsync(FacilityDevice.Magnet);
        Assert.Equal("0,\"No error\"", await magnet.CommandThenErrorAsync("SOUR:CURR 20"));
        Assert.Equal(20, await magnet.QueryNumberAsync("SOUR:CURR?"), 6);
        Assert.Equal(11.869, await magnet.QueryNumberAsync("MEAS:CURR?"), 6); // no time has passed

        facility.Clock.AdvanceSeconds(1);
        Assert.Equal(13.869, await magnet.QueryNumberAsync("MEAS:CURR?"), 5); // 2 A/s
        facility.Clock.AdvanceSeconds(2.5);
        Assert.Equal(18.869, await magnet.QueryNumberAsync("MEAS:CURR?"), 5);
        Assert.Equal(18.869 * 0.3, await magnet.QueryNumberAsync("MEAS:VOLT?"), 5);
        facility.Clock.AdvanceSeconds(10);
        Assert.Equal(20, await magnet.QueryNumberAsync("MEAS:CURR?"), 6); // stops at the set point
        Assert.Equal(2, await magnet.QueryNumberAsync("SOUR:CURR:SLEW?"), 6);
    }

    [Fact]
    public async Task WhenTheOutputIsSwitchedOffThenTheCurrentRampsDownToZero()
    {
        await using var facility = TestFacility.Start();
        await using var magnet = await facility.ConnectAsync(FacilityDevice.Magnet);
        Assert.Equal("0,\"No error\"", await magnet.CommandThenErrorAsync("OUTP OFF"));
        Assert.Equal("0", await magnet.QueryAsync("OUTP?"));
        facility.Clock.AdvanceSeconds(3);
        Assert.Equal(11.869 - 6, await magnet.QueryNumberAsync("MEAS:CURR?"), 5);
        facility.Clock.AdvanceSeconds(10);
        Assert.Equal(0, await magnet.QueryNumberAsync("MEAS:CURR?"), 9);
        Assert.Equal("0,\"No error\"", await magnet.CommandThenErrorAsync("OUTPUT:STATE 1"));
        Assert.Equal("1", await magnet.QueryAsync("OUTP?"));
    }

    [Fact]
    public async Task WhenTheVoltageLimitIsBelowIRThenTheSupplyHoldsTheLimitVoltage()
    {
        await using var facility = TestFacility.Start();
        await using var magnet = await facility.ConnectAsync(FacilityDevice.Magnet);
        Assert.Equal("0,\"No error\"", await magnet.CommandThenErrorAsync("SOUR:VOLT 3"));
        Assert.Equal(3, await magnet.QueryNumberAsync("SOUR:VOLT?"), 6);
        facility.Clock.AdvanceSeconds(10);
        Assert.Equal(10, await magnet.QueryNumberAsync("MEAS:CURR?"), 5); // 3 V / 0.3 ohm
        Assert.Equal(3, await magnet.QueryNumberAsync("MEAS:VOLT?"), 5);
    }

    [Theory]
    [InlineData("SOUR:CURR 50.5", "-222,\"Data out of range;current 50.5 A outside [0, 50] A\"")]
    [InlineData("SOUR:CURR -1", "-222,\"Data out of range;current -1 A outside [0, 50] A\"")]
    [InlineData("SOUR:VOLT 18.5", "-222,\"Data out of range;voltage 18.5 V outside [0, 18] V\"")]
    [InlineData("SOUR:CURR ten", "-104,\"Data type error;'ten' is not a number\"")]
    [InlineData("SOUR:CURR", "-109,\"Missing parameter;SOUR:CURR needs 1 parameter(s)\"")]
    [InlineData("SOUR:CURR 1,2", "-108,\"Parameter not allowed;SOUR:CURR takes 1 parameter(s)\"")]
    [InlineData("MEAS:CURR? 5", "-108,\"Parameter not allowed;MEAS:CURR? takes no parameter\"")]
    [InlineData("OUTP MAYBE", "-224,\"Illegal parameter value;'MAYBE' is not ON|OFF|1|0\"")]
    [InlineData("FOO:BAR 1", "-113,\"Undefined header;FOO:BAR\"")]
    [InlineData("MEAS:CURR 5", "-113,\"Undefined header;MEAS:CURR\"")]
    [InlineData("SOUR::CURR 5", "-102,\"Syntax error;bad header 'SOUR::CURR'\"")]
    public async Task WhenACommandIsBadThenTheErrorQueueSaysWhy(string command, string expected)
    {
        await using var facility = TestFacility.Start();
        await using var magnet = await facility.ConnectAsync(FacilityDevice.Magnet);
        Assert.Equal(expected, await magnet.CommandThenErrorAsync(command));
        Assert.Equal("0,\"No error\"", await magnet.QueryAsync("SYST:ERR?"));
        Assert.Equal(11.869, await magnet.QueryNumberAsync("SOUR:CURR?"), 6); // nothing changed
    }

    [Fact]
    public async Task WhenAnUndefinedQueryIsSentThenNoReplyComesAndTheQueueHoldsMinus113()
    {
        await using var facility = TestFacility.Start();
        await using var magnet = await facility.ConnectAsync(FacilityDevice.Magnet);
        await magnet.SendAsync("FOO?");
        // The next reply is the error query's: the bad query produced none.
        Assert.Equal("-113,\"Undefined header;FOO?\"", await magnet.QueryAsync("SYSTEM:ERROR:NEXT?"));
    }

    [Fact]
    public async Task WhenClearedOrResetThenQueueAndStateReturnToDefaults()
    {
        await using var facility = TestFacility.Start();
        await using var magnet = await facility.ConnectAsync(FacilityDevice.Magnet);
        await magnet.SendAsync("FOO");
        await magnet.SendAsync("*CLS");
        Assert.Equal("0,\"No error\"", await magnet.QueryAsync("SYST:ERR?"));
        await magnet.SendAsync("*RST");
        Assert.Equal("0", await magnet.QueryAsync("OUTP?"));
        Assert.Equal(0, await magnet.QueryNumberAsync("SOUR:CURR?"));
        Assert.Equal(18, await magnet.QueryNumberAsync("SOUR:VOLT?"));
    }
}
