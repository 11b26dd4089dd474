using BeamDAQ.Analysis.Spectrum.Responses;
using BeamDAQ.Analysis.Validation;

namespace BeamDAQ.Analysis.Tests.Validation;

public class ToyGeneratorTests
{
    [Fact]
    public void WhenToysAreSampledThenTheZeroFractionAndTheMeanFollowTheTruth()
    {
        var truth = ToySpectrumSettings.Leetech(1.6);
        var values = ToyGenerator.Generate(truth, 50_000, new SplitMixRandom(61));
        double cut = truth.Pedestal + 4 * truth.Noise;
        double zeroFraction = values.Count(v => v < cut) / (double)values.Length;
        double p0 = Math.Exp(-1.6);
        Assert.True(Math.Abs(zeroFraction - p0) < 4 * Math.Sqrt(p0 * (1 - p0) / values.Length), $"zero fraction {zeroFraction}, e^-λ {p0}");

        double singleMean = new TruncatedLandauResponse(truth.CapInMostProbable).Moments([truth.MostProbable, truth.WidthRatio]).Mean;
        double expectedMean = truth.Pedestal + 1.6 * singleMean;
        double sd = Math.Sqrt(values.Sum(v => Math.Pow(v - values.Average(), 2)) / values.Length);
        Assert.True(Math.Abs(values.Average() - expectedMean) < 4 * sd / Math.Sqrt(values.Length), $"mean {values.Average()} vs {expectedMean}");
    }

    [Fact]
    public void WhenTheSameSeedIsUsedThenTheToyIsTheSame()
    {
        var truth = ToySpectrumSettings.Leetech(2.2);
        Assert.Equal(ToyGenerator.Generate(truth, 100, new SplitMixRandom(5)), ToyGenerator.Generate(truth, 100, new SplitMixRandom(5)));
    }

    [Fact]
    public void WhenOverDispersedThenTheMultiplicityVarianceExceedsTheMean()
    {
        var truth = ToySpectrumSettings.Leetech(2.0) with { OverDispersion = 0.5 };
        var values = ToyGenerator.Generate(truth, 20_000, new SplitMixRandom(6));
        double cut = truth.Pedestal + 4 * truth.Noise;
        double zeroFraction = values.Count(v => v < cut) / (double)values.Length;
        // P(0) of a negative binomial with mean 2 and 1/k = 0.5: (1 + 1)^(−2) = 0.25, against e^{−2} = 0.135.
        Assert.InRange(zeroFraction, 0.24, 0.26);
    }

    [Fact]
    public void WhenHighLambdaToysAreSampledThenTheirMeanAmplitudeIsUnbiased()
    {
        // The legacy seeded System.Random biased this by 4.6σ over 2M bunches; the toys use xoshiro256**.
        var truth = ToySpectrumSettings.Leetech(8.7);
        double singleMean = new TruncatedLandauResponse(truth.CapInMostProbable).Moments([truth.MostProbable, truth.WidthRatio]).Mean;
        double sum = 0, sum2 = 0;
        long n = 0;
        for (int k = 0; k < 40; k++)
        {
            foreach (double v in ToyGenerator.Generate(truth, 10_000, new SplitMixRandom(1000 + (ulong)k)))
            {
                sum += v;
                sum2 += v * v;
                n++;
            }
        }
        double mean = sum / n, sd = Math.Sqrt(sum2 / n - mean * mean);
        double lambda = (mean - truth.Pedestal) / singleMean, error = sd / Math.Sqrt(n) / singleMean;
        Assert.True(Math.Abs(lambda - 8.7) < 4 * error, $"λ from the mean {lambda:F4} ± {error:F4}");
    }
}
