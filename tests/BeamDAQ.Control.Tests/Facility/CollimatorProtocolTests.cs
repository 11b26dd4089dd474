using System.Globalization;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Tests.Facility.Support;

namespace BeamDAQ.Control.Tests.Facility;

public class CollimatorProtocolTests
{
    private static double[] Numbers(string reply) =>
        reply.Split(' ').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public async Task WhenStartedThenBothCollimatorsAreAtThePapersSettingsAndSettled()
    {
        await using var facility = TestFacility.Start();
        await using var master = await facility.ConnectAsync(FacilityDevice.Collimators);
        Assert.Equal("BeamDAQ,SIM-COLLIMATOR-MASTER,CM0001,1.0", await master.QueryAsync("*IDN?"));
        Assert.Equal("2.6000 1.8000", await master.QueryAsync("COLL ENTRANCE APERTURE?"));
        Assert.Equal("9.9000 3.1000", await master.QueryAsync("coll exit aperture?"));
        Assert.Equal("-4.9500 4.9500 1.5500 -1.5500", await master.QueryAsync("COLL EXIT POS?"));
        Assert.Equal("0.0000 0.0000", await master.QueryAsync("COLL EXIT CENTRE?"));
        Assert.Equal("SETTLED", await master.QueryAsync("COLL EXIT STATE?"));
        Assert.Equal("21.0000 12.0000 2.0000", await master.QueryAsync("LIMITS?"));
    }

    [Fact]
    public async Task WhenAnApertureIsSetThenJawsMoveAtFiniteSpeedReportMovingThenSettleWithin20Micrometres()
    {
        await using var facility = TestFacility.Start();
        await using var master = await facility.ConnectAsync(FacilityDevice.Collimators);
        Assert.Equal("OK", await master.QueryAsync("COLL EXIT APERTURE 1.2 3.1"));
        Assert.Equal("MOVING", await master.QueryAsync("COLL EXIT STATE?"));

        // Left and right jaws travel 4.35 mm each at 2 mm/s: half-way after ~1.09 s.
        facility.Clock.AdvanceSeconds(1.0);
        var halfway = Numbers(await master.QueryAsync("COLL EXIT POS?"));
        Assert.InRange(halfway[0], -4.95 + 2.0 - 0.01, -4.95 + 2.0 + 0.01);
        Assert.Equal("MOVING", await master.QueryAsync("COLL EXIT STATE?"));

        facility.Clock.AdvanceSeconds(1.2); // arrived (2.175 s) but still settling (0.2 s)
        Assert.Equal("MOVING", await master.QueryAsync("COLL EXIT STATE?"));
        facility.Clock.AdvanceSeconds(0.2);
        Assert.Equal("SETTLED", await master.QueryAsync("COLL EXIT STATE?"));

        var settled = Numbers(await master.QueryAsync("COLL EXIT POS?"));
        double[] target = [-0.6, 0.6, 1.55, -1.55];
        for (int i = 0; i < 4; i++)
        {
            Assert.InRange(Math.Abs(settled[i] - target[i]), 0, 0.020);
            // Read-back is quantised to the 0.5 um sensor resolution.
            Assert.Equal(0, Math.Round(settled[i] * 2000) - settled[i] * 2000, 6);
        }
        Assert.Equal("-0.6000 0.6000 1.5500 -1.5500", await master.QueryAsync("COLL EXIT TARGET?"));
        var aperture = Numbers(await master.QueryAsync("COLL EXIT APERTURE?"));
        Assert.InRange(aperture[0], 1.2 - 0.04, 1.2 + 0.04);
    }

    [Fact]
    public async Task WhenASingleJawIsMovedThenOnlyItMovesAndItsPositionReadsBack()
    {
        await using var facility = TestFacility.Start();
        await using var master = await facility.ConnectAsync(FacilityDevice.Collimators);
        Assert.Equal("OK", await master.QueryAsync("COLL ENTRANCE JAW TOP 2.0"));
        facility.Clock.AdvanceSeconds(5);
        double top = double.Parse(await master.QueryAsync("COLL ENTRANCE JAW TOP?"), CultureInfo.InvariantCulture);
        Assert.InRange(top, 2.0 - 0.02, 2.0 + 0.02);
        Assert.Equal("-1.3000 1.3000 2.0000 -0.9000", await master.QueryAsync("COLL ENTRANCE TARGET?"));
    }

    [Fact]
    public async Task WhenPositionsAndCentreAreGivenThenTheOpeningIsOffAxis()
    {
        await using var facility = TestFacility.Start();
        await using var master = await facility.ConnectAsync(FacilityDevice.Collimators);
        Assert.Equal("OK", await master.QueryAsync("COLL EXIT APERTURE 4 2 1.5 -0.5"));
        Assert.Equal("-0.5000 3.5000 0.5000 -1.5000", await master.QueryAsync("COLL EXIT TARGET?"));
        Assert.Equal("OK", await master.QueryAsync("COLL EXIT POS -3 3 2 -2"));
        Assert.Equal("-3.0000 3.0000 2.0000 -2.0000", await master.QueryAsync("COLL EXIT TARGET?"));
    }

    [Fact]
    public async Task WhenStoppedThenTheJawsStayWhereTheyAre()
    {
        await using var facility = TestFacility.Start();
        await using var master = await facility.ConnectAsync(FacilityDevice.Collimators);
        Assert.Equal("OK", await master.QueryAsync("COLL EXIT APERTURE 20 3.1"));
        facility.Clock.AdvanceSeconds(1);
        Assert.Equal("OK", await master.QueryAsync("COLL EXIT STOP"));
        facility.Clock.AdvanceSeconds(10);
        Assert.Equal("SETTLED", await master.QueryAsync("COLL EXIT STATE?"));
        var positions = Numbers(await master.QueryAsync("COLL EXIT POS?"));
        Assert.InRange(positions[0], -4.95 - 2.0 - 0.02, -4.95 - 2.0 + 0.02);
    }

    [Theory]
    [InlineData("COLL EXIT APERTURE 21.5 3", "ERR 4 exit aperture x 21.5 mm above the maximum 21 mm")]
    [InlineData("COLL EXIT POS 1 -1 2 -2", "ERR 4 exit aperture x -2 mm: jaws would cross (left < right, bottom < top)")]
    [InlineData("COLL ENTRANCE JAW LEFT -13", "ERR 4 entrance left jaw at -13 mm is outside the travel of +/-12 mm")]
    [InlineData("COLL EXIT APERTURE 9.9 x", "ERR 3 'x' is not a number")]
    [InlineData("COLL EXIT APERTURE 9.9", "ERR 5 APERTURE takes <x> <y> [<cx> <cy>]")]
    [InlineData("COLL MIDDLE POS?", "ERR 2 unknown collimator 'MIDDLE' (ENTRANCE, EXIT)")]
    [InlineData("COLL EXIT JAW FRONT 1", "ERR 1 unknown jaw 'FRONT' (LEFT, RIGHT, TOP, BOTTOM)")]
    [InlineData("COLL EXIT WIGGLE", "ERR 1 unknown collimator command 'WIGGLE' (APERTURE, APERTURE?, CENTRE?, POS, POS?, TARGET?, JAW, STATE?, STOP)")]
    [InlineData("MOVE EXIT 1", "ERR 1 unknown command 'MOVE' (COLL, LIMITS?, *IDN?)")]
    [InlineData("COLL EXIT POS? 1", "ERR 5 a query takes no parameter")]
    public async Task WhenACommandIsBadThenTheReplyIsAnErrorAndNothingMoves(string command, string expected)
    {
        await using var facility = TestFacility.Start();
        await using var master = await facility.ConnectAsync(FacilityDevice.Collimators);
        Assert.Equal(expected, await master.QueryAsync(command));
        Assert.Equal("SETTLED", await master.QueryAsync("COLL EXIT STATE?"));
        Assert.Equal("-4.9500 4.9500 1.5500 -1.5500", await master.QueryAsync("COLL EXIT TARGET?"));
        Assert.Equal("-1.3000 1.3000 0.9000 -0.9000", await master.QueryAsync("COLL ENTRANCE TARGET?"));
    }

    [Fact]
    public async Task WhenThePapersWidestExitIsSetThenItIsAccepted()
    {
        await using var facility = TestFacility.Start();
        await using var master = await facility.ConnectAsync(FacilityDevice.Collimators);
        Assert.Equal("OK", await master.QueryAsync("COLL EXIT APERTURE 9.9 20.6"));
    }
}
