using BeamDAQ.Analysis.Characterization;

namespace BeamDAQ.Analysis.Tests.Characterization;

public class YFactorNoiseFigureTests
{
    [Fact]
    public void WhenColdIsAtTheReferenceTemperatureThenNoiseFigureIsEnrMinusTenLogYMinusOne()
    {
        // The receiver example of the noise-figure note: ENR 5.91 dB, hot/cold densities 3.1 dB apart.
        double y = Math.Pow(10, 0.31);
        var result = YFactorNoiseFigure.Compute(hotPower: y * 2e-12, coldPower: 2e-12, enrDb: 5.91);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(3.1, result.YDb, 12);
        Assert.Equal(5.91 - 10 * Math.Log10(y - 1), result.NoiseFigureDb, 12);
        Assert.Equal(5.73, result.NoiseFigureDb, 2);
    }

    [Fact]
    public void WhenColdSourceIsColderThanTheReferenceThenTheCorrectedFigureRecoversTheReceiverTemperature()
    {
        // A receiver of Te = 100 K, a 10 dB ENR source (T_hot = 290·11 K) and a 77 K cold load: Y = (T_hot + Te)/(T_cold + Te).
        const double te = 100, tCold = 77;
        double tHot = 290 * (Math.Pow(10, 1.0) + 1);
        double y = (tHot + te) / (tCold + te);
        var result = YFactorNoiseFigure.Compute(y, 1, enrDb: 10, coldTemperature: tCold);
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(te, result.EquivalentNoiseTemperature, 9);
        Assert.Equal(10 * Math.Log10(1 + te / 290), result.NoiseFigureDb, 12);

        // The uncorrected formula would be wrong by a visible amount here.
        double naive = 10 - 10 * Math.Log10(y - 1);
        Assert.True(Math.Abs(naive - result.NoiseFigureDb) > 0.5);
    }

    [Fact]
    public void WhenPowerErrorsAreGivenThenTheFigureErrorFollowsFromThem()
    {
        var exact = YFactorNoiseFigure.Compute(4, 1, 10);
        var shifted = YFactorNoiseFigure.Compute(4 * 1.001, 1, 10);
        var withError = YFactorNoiseFigure.Compute(4, 1, 10, hotPowerError: 4 * 0.001);
        Assert.Equal(Math.Abs(shifted.NoiseFigureDb - exact.NoiseFigureDb), withError.NoiseFigureErrorDb, 1e-4);
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(1.0, 2.0)]
    public void WhenHotIsNotAboveColdThenTheResultSaysSoInsteadOfANumber(double hot, double cold)
    {
        var result = YFactorNoiseFigure.Compute(hot, cold, 15);
        Assert.False(result.IsValid);
        Assert.Contains("not above 1", result.Problem);
        Assert.True(double.IsNaN(result.NoiseFigureDb));
    }
}
