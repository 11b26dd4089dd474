using System.Numerics;
using BeamDAQ.Analysis.Spectrum;
using BeamDAQ.Analysis.Spectrum.Responses;
using BeamDAQ.Analysis.Validation;

namespace BeamDAQ.Analysis.Tests.Spectrum;

public class ResponseTests
{
    private static readonly FrequencyGrid Grid = new(400, 600);

    public static TheoryData<string, double[]> Responses() => new()
    {
        { "gauss", new[] { 12.0, 2.0 } },
        { "landau-untruncated", new[] { 12.0, 0.08 } },
        { "landau", new[] { 12.0, 0.08 } },
        { "landau-gauss", new[] { 12.0, 0.08, 1.5 } },
        { "template", new[] { 50.0 } },
    };

    private static SingleElectronResponse Create(string name) => name == "template"
        ? new TemplateResponse("template", TemplateDeposits(), "test")
        : ResponseCatalog.Create(name, new LandauVavilov());

    /// <summary>A template of deposits around 0.23 MeV with a tail, like the Geant4 one.</summary>
    private static double[] TemplateDeposits()
    {
        var random = new SplitMixRandom(5);
        return Enumerable.Range(0, 20000).Select(_ => LandauSampler.SampleTruncated(random, 0.23, 0.08, 2.7)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Responses))]
    public void WhenEvaluatedThenPhiAtZeroIsOneAndDerivativesMatchFiniteDifferences(string name, double[] parameters)
    {
        var response = Create(name);
        var evaluator = response.CreateEvaluator(Grid);
        int n = parameters.Length;
        var phi = new Complex[Grid.Count];
        var derivatives = Enumerable.Range(0, n).Select(_ => new Complex[Grid.Count]).ToArray();
        evaluator.Evaluate(parameters, Grid.Count, phi, derivatives);
        Assert.Equal(1, phi[0].Real, 12);
        Assert.Equal(0, phi[0].Imaginary, 12);

        var plus = new Complex[Grid.Count];
        var minus = new Complex[Grid.Count];
        for (int k = 0; k < n; k++)
        {
            double step = 1e-6 * parameters[k];
            var p = (double[])parameters.Clone();
            p[k] += step;
            evaluator.Evaluate(p, Grid.Count, plus, null);
            p[k] -= 2 * step;
            evaluator.Evaluate(p, Grid.Count, minus, null);
            for (int m = 0; m < Grid.Count; m += 7)
            {
                Complex numeric = (plus[m] - minus[m]) / (2 * step);
                // Relative to the derivative, or absolute against φ(0) = 1 where the derivative is tiny.
                Assert.True((numeric - derivatives[k][m]).Magnitude < 2e-4 * numeric.Magnitude + 1e-6,
                    $"{name} ∂/∂{response.Parameters[k].Name} at m={m}: {derivatives[k][m]} vs {numeric}");
            }
        }
    }

    [Fact]
    public void WhenTheTruncatedLandauMomentsAreComputedThenTheyMatchTheToySampler()
    {
        var response = new TruncatedLandauResponse(new LandauVavilov());
        var (mean, second) = response.Moments([10.0, 0.077]);
        var random = new SplitMixRandom(9);
        double sum = 0, sum2 = 0;
        const int n = 400_000;
        for (int i = 0; i < n; i++)
        {
            double x = LandauSampler.SampleTruncated(random, 10, 0.077, 10 * response.CapInMostProbable);
            sum += x;
            sum2 += x * x;
        }
        double sampleMean = sum / n, sampleVariance = sum2 / n - sampleMean * sampleMean;
        Assert.True(Math.Abs(mean - sampleMean) < 4 * Math.Sqrt(sampleVariance / n), $"mean {mean} vs sampled {sampleMean}");
        // E[X²] of a tail reaching the cap converges slowly: 0.5 % (several of its standard errors).
        Assert.InRange(second, 0.995 * sum2 / n, 1.005 * sum2 / n);
    }

    [Fact]
    public void WhenTheTemplateIsScaledThenItsMeanIsTheGainTimesTheMeanDeposit()
    {
        var deposits = TemplateDeposits();
        var response = new TemplateResponse("template", deposits, "test");
        Assert.Equal(53 * deposits.Average(), response.Moments([53.0]).Mean, 9);
    }

    [Fact]
    public void WhenAResponseNameIsUnknownThenTheErrorListsTheAllowedOnes()
    {
        var e = Assert.Throws<BeamDAQ.Protocol.Hosting.UsageException>(() => ResponseCatalog.Create("moyal", new LandauVavilov()));
        Assert.Contains("template:FILE", e.Message);
    }
}
