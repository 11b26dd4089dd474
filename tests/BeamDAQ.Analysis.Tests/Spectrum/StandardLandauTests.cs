using BeamDAQ.Analysis.Spectrum;
using BeamDAQ.Analysis.Validation;

namespace BeamDAQ.Analysis.Tests.Spectrum;

public class StandardLandauTests
{
    [Fact]
    public void WhenEvaluatedThenTheDensityHasTheKnownValuesAndMaximum()
    {
        // Reference values of the standard Landau density (Kölbig & Schorr): p(0) = 0.1788541609, maximum 0.180655 at −0.22278.
        Assert.Equal(0.1788541609, StandardLandau.Density(0), 7);
        Assert.Equal(0.180655, StandardLandau.Density(StandardLandau.MostProbable), 5);
        Assert.True(StandardLandau.Density(StandardLandau.MostProbable - 0.02) < StandardLandau.Density(StandardLandau.MostProbable));
        Assert.True(StandardLandau.Density(StandardLandau.MostProbable + 0.02) < StandardLandau.Density(StandardLandau.MostProbable));
        // Far tail: p(y) ≈ 1/y² + 2(ln y − ψ(3))/y³, ψ(3) = 0.92278.
        Assert.Equal(1 + 2 * (Math.Log(1500) - 0.92278) / 1500, StandardLandau.Density(1500) * 1500 * 1500, 3);
    }

    [Fact]
    public void WhenIntegratedThenTheDistributionIsNormalisedAndTheDerivativeConsistent()
    {
        Assert.Equal(1 - 1.0 / 1e5, StandardLandau.Cdf(1e5), 5);
        Assert.Equal(0, StandardLandau.Cdf(-20));
        var (_, derivative) = StandardLandau.DensityAndDerivative(1.3);
        double numeric = (StandardLandau.Density(1.3 + 1e-5) - StandardLandau.Density(1.3 - 1e-5)) / 2e-5;
        Assert.Equal(numeric, derivative, 6);
    }

    [Fact]
    public void WhenSampledByTheIndependentToySamplerThenTheDistributionMatchesTheTable()
    {
        var random = new SplitMixRandom(11);
        const int n = 400_000;
        var samples = new double[n];
        for (int i = 0; i < n; i++) samples[i] = LandauSampler.SampleStandard(random);
        foreach (double y in new[] { -2.0, -1.0, 0.0, 1.0, 3.0, 10.0, 50.0 })
        {
            double expected = StandardLandau.Cdf(y);
            double observed = samples.Count(s => s <= y) / (double)n;
            double sigma = Math.Sqrt(expected * (1 - expected) / n);
            Assert.True(Math.Abs(observed - expected) < 4.5 * sigma, $"F({y}): sampled {observed:F5}, table {expected:F5} (σ {sigma:F5})");
        }
    }
}
