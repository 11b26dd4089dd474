using BeamDAQ.Analysis.Fitting;
using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Analysis.Histograms;

namespace BeamDAQ.Analysis.Tests.Fitting;

public class SpectrumFitterTests
{
    private static readonly FitOptions Options = new() { Response = FitToys.Response, AmplitudeUnit = "mV" };

    [Theory]
    [InlineData(0.05, 10000, 1)]
    [InlineData(0.7, 3000, 2)]
    [InlineData(2.8, 3000, 3)]
    public void WhenAToyIsFittedThenLambdaIsRecoveredWithinItsErrorAndTheCrossChecksAgree(double lambda, int bunches, int seed)
    {
        var result = SpectrumFitter.Fit(FitToys.Histogram(lambda, bunches, seed), Options);

        Assert.True(result.Converged, result.StatusReason);
        Assert.True(Math.Abs(result.Lambda - lambda) < 4 * result.LambdaError, $"λ = {result.Lambda} ± {result.LambdaError}, truth {lambda}");
        Assert.True(result.LambdaLower < result.Lambda && result.Lambda < result.LambdaUpper);
        Assert.True(result.LambdaIntervalFound);
        Assert.InRange(result.LambdaError, 0.5 * (result.LambdaUpper - result.LambdaLower) / 2, 2 * (result.LambdaUpper - result.LambdaLower) / 2);
        Assert.NotNull(result.ZeroFraction.Lambda);
        Assert.True(Math.Abs(result.ZeroFraction.Lambda!.Value - lambda) < 4 * result.ZeroFraction.Error!.Value);
        Assert.NotNull(result.MeanMethod?.Lambda);
        Assert.True(Math.Abs(result.MeanMethod!.Lambda!.Value - lambda) < 4 * result.MeanMethod.Error!.Value);
        Assert.True(result.Goodness.PValue > 1e-4, $"p = {result.Goodness.PValue}");
        Assert.Empty(result.Warnings);
        Assert.Equal(FitToys.Truth(lambda).Pedestal, result.Pedestal.Value, 0);
    }

    [Fact]
    public void WhenAFitIsDoneThenTheCovarianceIsSymmetricWithTheHesseErrorsOnItsDiagonal()
    {
        var result = SpectrumFitter.Fit(FitToys.Histogram(1.6, 3000, 4), Options);
        int n = result.Parameters.Count;
        Assert.Equal(n, result.Covariance.Length);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(result.Parameters[i].Error, Math.Sqrt(result.Covariance[i][i]), 12);
            for (int j = 0; j < n; j++) Assert.Equal(result.Covariance[i][j], result.Covariance[j][i], 15);
        }
        Assert.Equal(result.LambdaError, result.Parameter("lambda").Error, 12);
    }

    [Fact]
    public void WhenTheHistogramIsEmptyThenTheResultSaysFailedInsteadOfThrowing()
    {
        var result = SpectrumFitter.Fit(new Histogram1D(0, 10, 100), Options);
        Assert.Equal(FitStatus.Failed, result.Status);
        Assert.False(result.Converged);
        Assert.Contains("fewer than 10 entries", result.StatusReason);
    }

    [Fact]
    public void WhenTheModelCannotDescribeTheDataThenTheLowPValueIsAWarning()
    {
        // Two pedestals: no compound-Poisson spectrum looks like that.
        var random = new Random(5);
        var values = Enumerable.Range(0, 6000).Select(i => (i % 2 == 0 ? 3.3 : 9.0) + 0.55 * Gauss(random)).ToArray();
        var result = SpectrumFitter.Fit(Histogram1D.FromSpectrum(values), Options with { Restarts = 1 });
        Assert.Contains(result.Warnings, w => w.Contains("p = "));
    }

    [Fact]
    public void WhenTheMultiplicityIsOverDispersedThenTheNegativeBinomialFitSaysSo()
    {
        var histogram = FitToys.Histogram(2.2, 10000, 6, overDispersion: 0.25);
        var result = SpectrumFitter.Fit(histogram, Options with { OverDispersion = true, ProfileInterval = false });

        Assert.True(result.Converged, result.StatusReason);
        var eta = result.Parameter("overdispersion");
        Assert.True(Math.Abs(eta.Value - 0.25) < 4 * eta.Error, $"1/k = {eta.Value} ± {eta.Error}");
        Assert.NotNull(result.OverDispersion);
        Assert.True(result.OverDispersion!.Significance > 5);
        Assert.Contains(result.Notes, n => n.Contains("over-dispersed"));

        // The Poisson model on the same data fits badly.
        var poisson = SpectrumFitter.Fit(histogram, Options with { ProfileInterval = false });
        Assert.True(poisson.Goodness.PValue < result.Goodness.PValue);
    }

    [Fact]
    public void WhenTheResponseIsFreeAtHighLambdaThenTheGainLambdaDegeneracyIsReported()
    {
        var result = SpectrumFitter.Fit(FitToys.Histogram(15, 1000, 7), Options with { ProfileInterval = false });
        Assert.Contains(result.Warnings.Concat(result.Notes), w => w.Contains("degenerate") || w.Contains("calibration"));
    }

    [Fact]
    public void WhenFittedTwiceThenTheResultIsTheSame()
    {
        var histogram = FitToys.Histogram(2.2, 1000, 8);
        var a = SpectrumFitter.Fit(histogram, Options);
        var b = SpectrumFitter.Fit(histogram, Options);
        Assert.Equal(a.Lambda, b.Lambda);
        Assert.Equal(a.LambdaUpper, b.LambdaUpper);
    }

    private static double Gauss(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
