using BeamDAQ.Analysis.Fitting;

namespace BeamDAQ.Analysis.Tests.Fitting;

public class SimultaneousFitterTests
{
    [Fact]
    public void WhenSpectraShareOneResponseThenEachLambdaIsRecoveredAndTheResponseIsCommon()
    {
        double[] lambdas = [0.7, 2.2, 8.7];
        var histograms = lambdas.Select((l, i) => FitToys.Histogram(l, 3000, 40 + i, scale: 16.4)).ToArray();
        var result = SimultaneousFitter.Fit(histograms, new FitOptions { Response = FitToys.Response, ProfileInterval = false });

        Assert.True(result.Converged, result.StatusReason);
        Assert.Equal(3, result.Spectra.Count);
        for (int s = 0; s < 3; s++)
        {
            var spectrum = result.Spectra[s];
            Assert.True(Math.Abs(spectrum.Lambda - lambdas[s]) < 4 * spectrum.LambdaError, $"spectrum {s}: λ = {spectrum.Lambda} ± {spectrum.LambdaError}");
            Assert.Equal(result.Spectra[0].Parameter("mpv").Value, spectrum.Parameter("mpv").Value);
        }
        Assert.Contains("lambda[2]", result.ParameterNames);
        Assert.Contains("mpv", result.ParameterNames);
        Assert.True(result.PValue > 1e-4, $"p = {result.PValue}");
        // λ = 8.7 alone, response free, is degenerate; sharing the response with the low-λ spectra fixes that.
        Assert.True(result.Spectra[2].LambdaError < 0.05 * lambdas[2]);
    }
}
