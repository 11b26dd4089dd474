using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Spectrum;
using BeamDAQ.Analysis.Spectrum.Responses;
using BeamDAQ.Analysis.Validation;

namespace BeamDAQ.Analysis.Tests.Spectrum;

public class SpectrumModelTests
{
    private static readonly LandauVavilov Physics = new();

    private static (Histogram1D Histogram, SpectrumModel Model, double[] Truth) Toy(double lambda, int bunches, bool overDispersion = false, double eta = 0)
    {
        var truth = ToySpectrumSettings.Leetech(lambda) with { OverDispersion = eta };
        var values = ToyGenerator.Generate(truth, bunches, new SplitMixRandom(21));
        var h = Histogram1D.FromSpectrum(values);
        double[] p = overDispersion
            ? [lambda, truth.Pedestal, truth.Noise, eta, truth.MostProbable, truth.WidthRatio]
            : [lambda, truth.Pedestal, truth.Noise, truth.MostProbable, truth.WidthRatio];
        var model = SpectrumPlanner.Plan(h.LowEdge, h.BinWidth, h.BinCount, new TruncatedLandauResponse(truth.CapInMostProbable), overDispersion, p, out _);
        return (h, model, p);
    }

    /// <summary>
    /// A minimiser's far-off trial point (the soak's monitor met a noise of 3.6 V and a window of 2,000 V on a
    /// 0.16 V histogram) must not plan a window of millions of points: the monitor held hundreds of MB per evaluation.
    /// </summary>
    [Theory]
    [InlineData(3.6, 0.0)]        // noise of volts
    [InlineData(0.008, -2000.0)]  // pedestal far below
    [InlineData(0.008, 0.0, 1e4)] // λ far above
    public void WhenATrialPointIsFarOutsideTheHistogramThenTheWindowStaysBoundedAndTheModelStillNormalised(double noise, double pedestal, double lambda = 2)
    {
        var h = new Histogram1D(0, 0.16, 164);
        double[] p = [lambda, pedestal, noise, 0.012, 0.077];
        var model = SpectrumPlanner.Plan(h.LowEdge, h.BinWidth, h.BinCount, new TruncatedLandauResponse(new LandauVavilov().CapInMostProbable), false, p, out _);

        Assert.InRange(model.Grid.CoarseLength, 16, 8 * SpectrumPlanner.MaximumWindowBins);
        var probabilities = new double[model.OutputLength];
        model.Evaluate(p, probabilities, default);
        Assert.All(probabilities, q => Assert.True(double.IsFinite(q)));
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(2.2)]
    [InlineData(15)]
    public void WhenEvaluatedAtTheTruthThenItDescribesEventByEventToysWithinStatistics(double lambda)
    {
        var (h, model, truth) = Toy(lambda, 200_000);
        var probabilities = new double[model.OutputLength];
        model.Evaluate(truth, probabilities, default);

        Assert.Equal(1, probabilities.Sum(), 10);
        // Pearson χ² over bins expecting at least 20 entries: the FFT model against the independent sampler.
        double chi2 = 0;
        int bins = 0;
        for (int i = 0; i < h.BinCount; i++)
        {
            double nu = probabilities[i + 1] * h.Entries;
            if (nu < 20) continue;
            chi2 += Math.Pow(h.Counts[i] - nu, 2) / nu;
            bins++;
        }
        Assert.True(bins > 20);
        Assert.True(chi2 < bins + 5 * Math.Sqrt(2.0 * bins), $"χ² = {chi2:F1} over {bins} bins");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WhenTheJacobianIsComputedThenItMatchesFiniteDifferences(bool overDispersion)
    {
        var (_, model, truth) = Toy(1.6, 2000, overDispersion, overDispersion ? 0.1 : 0);
        int outputs = model.OutputLength;
        var p = new double[outputs];
        var jacobian = new double[outputs * model.ParameterCount];
        model.Evaluate(truth, p, jacobian);
        var plus = new double[outputs];
        var minus = new double[outputs];
        for (int k = 0; k < model.ParameterCount; k++)
        {
            var q = (double[])truth.Clone();
            double step = 1e-5 * Math.Max(Math.Abs(q[k]), 1e-2);
            q[k] += step;
            model.Evaluate(q, plus, default);
            q[k] -= 2 * step;
            model.Evaluate(q, minus, default);
            double maximum = 0, error = 0;
            for (int i = 0; i < outputs; i++)
            {
                double numeric = (plus[i] - minus[i]) / (2 * step);
                maximum = Math.Max(maximum, Math.Abs(numeric));
                error = Math.Max(error, Math.Abs(numeric - jacobian[k * outputs + i]));
            }
            Assert.True(error < 1e-5 * maximum, $"∂P/∂{model.Parameters[k].Name}: max error {error:E2} of {maximum:E2}");
        }
    }

    [Fact]
    public void WhenLambdaIsSmallOrLargeThenTheModelDoesTheSameWork()
    {
        var (h, model, truth) = Toy(2.2, 3000);
        var p = new double[model.OutputLength];
        var low = (double[])truth.Clone();
        low[0] = 0.05;
        var high = (double[])truth.Clone();
        high[0] = 15;
        model.Evaluate(low, p, default);
        int frequenciesLow = model.LastFrequencyCount;
        model.Evaluate(high, p, default);
        Assert.Equal(frequenciesLow, model.LastFrequencyCount);
        Assert.Equal(1, p.Sum(), 10);
        Assert.True(h.BinCount > 0);
    }

    [Fact]
    public void WhenSplitIntoMultiplicitiesThenTheComponentsAddUpToTheSpectrum()
    {
        var (_, model, truth) = Toy(0.7, 2000);
        var p = new double[model.OutputLength];
        model.Evaluate(truth, p, default);
        var components = model.Components(truth, 12);
        for (int i = 0; i < model.Grid.BinCount; i++)
        {
            double sum = components.Sum(c => c[i]);
            Assert.True(Math.Abs(sum - p[i + 1]) < 1e-9, $"bin {i}: components {sum} vs model {p[i + 1]}");
        }
        // The pedestal component holds e^{−λ} of the probability.
        Assert.Equal(Math.Exp(-0.7), components[0].Sum(), 4);
    }

    [Fact]
    public void WhenEvaluatedRepeatedlyThenNothingIsAllocated()
    {
        var (_, model, truth) = Toy(2.2, 2000);
        var p = new double[model.OutputLength];
        var jacobian = new double[model.OutputLength * model.ParameterCount];
        var moved = (double[])truth.Clone();
        model.Evaluate(truth, p, jacobian);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            moved[3] = truth[3] * (1 + 1e-3 * i); // a new response every time: no cache hit
            model.Evaluate(moved, p, jacobian);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
