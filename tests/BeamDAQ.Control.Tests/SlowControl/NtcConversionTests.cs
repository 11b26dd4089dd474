using BeamDAQ.Control.SlowControl.Calibration;

namespace BeamDAQ.Control.Tests.SlowControl;

public class NtcConversionTests
{
    // R/T table of a 10 kΩ NTC with B = 3974 K (R25 = 10 kΩ), as tabulated for a firmware thermistor driver
    // (whole ohms): the B-parameter form must reproduce it both ways.
    public static TheoryData<double, double> BParameterTable => new()
    {
        { -25, 146676 }, { -15, 78875 }, { -5, 44424 }, { 5, 26075 }, { 15, 15881 }, { 25, 10000 },
        { 35, 6488 }, { 45, 4326 }, { 55, 2956 }, { 65, 2066 }, { 75, 1474 }, { 85, 1072 },
        { 95, 793 }, { 105, 596 }, { 115, 454 }, { 125, 351 },
    };

    // The Steinhart–Hart example thermistor (a = 1.40e-3, b = 2.37e-4, c = 9.90e-8; about 3 kΩ at 25 °C) and
    // its tabulated resistances.
    public static TheoryData<double, double> SteinhartHartTable => new()
    {
        { -10, 17000.007273577237 }, { 0, 10030.217595116217 }, { 10, 6110.3822188932181 }, { 20, 3833.3275927458376 },
        { 30, 2470.6001126460119 }, { 40, 1632.3750999273645 }, { 50, 1103.5474105037119 },
    };

    private static readonly BParameterNtc B3974 = new(10000, 3974);
    private static readonly SteinhartHartNtc Example = new(1.40e-3, 2.37e-4, 9.90e-8);

    [Theory]
    [MemberData(nameof(BParameterTable))]
    public void WhenTheBParameterFormConvertsTheTableThenResistanceAndTemperatureMatch(double celsius, double ohm)
    {
        Assert.InRange(B3974.ResistanceOhm(celsius), ohm - 1.5, ohm + 1.5); // table rounded to whole ohms
        Assert.InRange(B3974.TemperatureC(ohm), celsius - 0.1, celsius + 0.1);
    }

    [Theory]
    [MemberData(nameof(SteinhartHartTable))]
    public void WhenSteinhartHartConvertsTheTableThenResistanceAndTemperatureMatch(double celsius, double ohm)
    {
        Assert.Equal(1.0, Example.ResistanceOhm(celsius) / ohm, 9);
        Assert.Equal(celsius, Example.TemperatureC(ohm), 6);
    }

    [Fact]
    public void WhenFittedThroughThreeTablePointsThenSteinhartHartRecoversTheCoefficients()
    {
        var fitted = SteinhartHartNtc.FromThreePoints((-10, 17000.007273577237), (20, 3833.3275927458376), (50, 1103.5474105037119));
        Assert.Equal(1.40e-3, fitted.A, 9);
        Assert.Equal(2.37e-4, fitted.B, 10);
        Assert.Equal(9.90e-8, fitted.C, 12);
        Assert.Equal(30, fitted.TemperatureC(2470.6001126460119), 5);
    }

    [Fact]
    public void WhenTheSensorCurveIsApproximatedByItsBParameterThenTheErrorGrowsAwayFromTheFitPoints()
    {
        var curve = new SteinhartHartNtc(1.009249522e-3, 2.378405444e-4, 2.019202697e-7);
        var b = new BParameterNtc(9876.6, 3519.0);
        Assert.InRange(Math.Abs(b.TemperatureC(curve.ResistanceOhm(25)) - 25), 0, 0.01);
        Assert.InRange(Math.Abs(b.TemperatureC(curve.ResistanceOhm(50)) - 50), 0, 0.02);
        Assert.InRange(b.TemperatureC(curve.ResistanceOhm(0)), 0.7, 1.0); // B25/50 reads ~0.85 K high at 0 °C
    }

    [Fact]
    public void WhenTheResistanceIsNotPositiveThenTheTemperatureIsNaN()
    {
        Assert.True(double.IsNaN(Example.TemperatureC(0)));
        Assert.True(double.IsNaN(B3974.TemperatureC(-5)));
    }
}
