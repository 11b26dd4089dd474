using BeamDAQ.Daq.Digitizers.Simulation.Beam;
using BeamDAQ.Daq.Digitizers.Simulation.Physics;
using BeamDAQ.Daq.Digitizers.Simulation.Signal;
using BeamDAQ.Daq.Tests.Support;

namespace BeamDAQ.Daq.Tests.Digitizers;

public sealed class SimulatorPhysicsTests
{
    [Fact]
    public void TheLandauVavilovMostProbableDepositOfA2Point7MeVElectronIn500UmDiamondIsAbout0Point22MeV()
    {
        var lv = LandauVavilov.For(AbsorberMaterial.Diamond, 500, 2.7);

        // Reference computed independently from PDG eq. 34.12 with the Sternheimer–Peierls density effect
        // (ξ = 0.013850 MeV, δ = 1.625): Δp = 0.21931 MeV. Without δ the same formula gives 0.2418 MeV.
        Assert.Equal(0.013850, lv.XiMeV, 5);
        Assert.Equal(1.625, lv.DensityEffect, 2);
        Assert.Equal(0.21931, lv.MostProbableMeV, 4);
        Assert.InRange(lv.MostProbableMeV, 0.21, 0.24);
    }

    [Fact]
    public void TheLandauVavilovValueIsWithinTheMultipleScatteringMarginOfTheGeant4TemplatesMode()
    {
        // The Geant4 template (2.5 MeV) peaks at ≈0.233 MeV; a straight-track Landau–Vavilov value ignores the few
        // per cent of extra path that multiple scattering adds in 500 µm of diamond, so it must sit a little below.
        var deposits = TemplateDeposit.Load(RepositoryPaths.TestData("g4_2.5MeV_1e_deposit_MeV.head20000.csv")).Deposits;
        double mode = HistogramMode(deposits, 0.15, 0.5, 0.004);
        double mpv = LandauVavilov.For(AbsorberMaterial.Diamond, 500, 2.5).MostProbableMeV;
        Assert.InRange(mode, 0.225, 0.24);
        Assert.InRange(mpv / mode, 0.92, 1.0);
    }

    [Theory]
    [InlineData(-1.0, 0.113615)]
    [InlineData(0.0, 0.286833)]
    [InlineData(1.0, 0.451018)]
    [InlineData(3.0, 0.664206)]
    [InlineData(10.0, 0.882939)]
    public void TheLandauSamplerReproducesTheLandauDistributionFunction(double x, double cdf)
    {
        // Reference F(x) by quadrature of the integral representation (scipy, independent of this code).
        const int n = 200_000;
        var random = new Random(3);
        int below = 0;
        for (int i = 0; i < n; i++)
            if (LandauDistribution.Sample(random) < x) below++;
        double sigma = Math.Sqrt(cdf * (1 - cdf) / n);
        Assert.InRange((double)below / n, cdf - 4 * sigma, cdf + 4 * sigma);
    }

    [Fact]
    public void TheLandauDensityPeaksAtItsModeWithTheKnownHeight()
    {
        Assert.Equal(0.180655, LandauDistribution.Density(LandauDistribution.Mode), 4);
        Assert.True(LandauDistribution.Density(LandauDistribution.Mode) > LandauDistribution.Density(LandauDistribution.Mode - 0.05));
        Assert.True(LandauDistribution.Density(LandauDistribution.Mode) > LandauDistribution.Density(LandauDistribution.Mode + 0.05));
    }

    [Fact]
    public void WhenDepositsAreDrawnThenNoneExceedsTheKineticEnergyAndTheirModeIsTheMostProbableValue()
    {
        var lv = LandauVavilov.For(AbsorberMaterial.Diamond, 500, 2.7);
        var model = new TruncatedLandauDeposit(lv);
        var random = new Random(9);
        var deposits = Enumerable.Range(0, 200_000).Select(_ => model.SampleMeV(random)).ToArray();

        Assert.All(deposits, d => Assert.InRange(d, 0, 2.7));
        Assert.Equal(lv.MostProbableMeV, HistogramMode(deposits, 0.1, 0.5, 0.004), 0.006);
        Assert.Contains(deposits, d => d > 1.5); // the long tail is there, only cut at the kinetic energy
    }

    [Fact]
    public void WhenTheTemplateModeIsUsedThenDepositsFollowTheTemplatesQuantiles()
    {
        var template = TemplateDeposit.Load(RepositoryPaths.TestData("g4_2.5MeV_1e_deposit_MeV.head20000.csv"));
        var settings = new BeamDAQ.Daq.Digitizers.Simulation.SimulatorSettings
        {
            Response = BeamDAQ.Daq.Digitizers.Simulation.DepositResponse.Template,
            TemplateFile = RepositoryPaths.TestData("g4_2.5MeV_1e_deposit_MeV.head20000.csv"),
            Lambda = 1,
        };
        using var sim = new SimulatorFixture(settings, SimulatorFixture.SmallRecord(length: 32));
        var single = new List<double>();
        while (single.Count < 8000)
        {
            var bunch = sim.AcquireEvent();
            if (bunch.Electrons == 1) single.Add(bunch.DepositMeV);
        }

        // At each template quantile q, the fraction of simulated deposits below it must be q within 4σ of a binomial.
        var expected = template.Deposits.Order().ToArray();
        foreach (double q in new[] { 0.1, 0.25, 0.5, 0.75, 0.9 })
        {
            double quantile = expected[(int)(q * (expected.Length - 1))];
            double fraction = single.Count(d => d <= quantile) / (double)single.Count;
            double sigma = Math.Sqrt(q * (1 - q) / single.Count);
            Assert.True(Math.Abs(fraction - q) < 4 * sigma, $"quantile {q} ({quantile:F4} MeV): {fraction:F4} of the simulated deposits lie below it");
        }
    }

    [Fact]
    public void WhenBunchChargeJittersThenTheMultiplicityIsOverDispersedAsNegativeBinomial()
    {
        const double lambda = 5, phi = 0.2;
        var multiplicity = new ElectronMultiplicity(phi);
        var random = new Random(17);
        var n = Enumerable.Range(0, 40_000).Select(_ => (double)multiplicity.Sample(lambda, random)).ToArray();
        double mean = n.Average();
        double variance = n.Select(x => (x - mean) * (x - mean)).Sum() / (n.Length - 1);
        Assert.Equal(lambda, mean, 0.1);
        Assert.Equal(lambda + phi * lambda * lambda, variance, 0.6); // 10 ± 6 %
        var poisson = new ElectronMultiplicity(0);
        var m = Enumerable.Range(0, 40_000).Select(_ => (double)poisson.Sample(lambda, random)).ToArray();
        double pm = m.Average();
        Assert.Equal(lambda, m.Select(x => (x - pm) * (x - pm)).Sum() / (m.Length - 1), 0.3);
    }

    [Fact]
    public void ThePulseTemplatePeaksAtOneAtOrderTimesTau()
    {
        var pulse = new PulseShape(250e-9, 4, 100e-9, 50e6, 5000);
        Assert.Equal(1.0, pulse.Value(1e-6), 12);
        Assert.True(pulse.Value(0.9e-6) < 1 && pulse.Value(1.1e-6) < 1);
        Assert.Equal(0, pulse.Value(0));
        var (first, values) = pulse.Template(0);
        Assert.Equal(6, first); // 100 ns = 5 samples, plus the trigger phase → the first sample after the start
        Assert.InRange(values.Max(), 0.999, 1.0);
        Assert.True(values[^1] < 1e-4);
    }

    [Fact]
    public void TheNoiseTableHasTheRequestedRms()
    {
        var noise = new NoiseTable(1 << 16, 0.0004, 0.0002, new Random(1));
        double rms = Math.Sqrt(noise.Samples.Select(v => (double)v * v).Average());
        Assert.Equal(Math.Sqrt(0.0004 * 0.0004 + 0.0002 * 0.0002), rms, 0.00002);
    }

    [Fact]
    public void WhenATemplateLineIsNotANumberThenTheErrorNamesTheFileAndLine()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["0.25", "# comment", "0.3", "abc"]);
            var e = Assert.Throws<FormatException>(() => TemplateDeposit.Load(path));
            Assert.Contains($"{path}:4", e.Message);
            Assert.Contains("'abc'", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double HistogramMode(IReadOnlyList<double> values, double lo, double hi, double width)
    {
        int bins = (int)Math.Round((hi - lo) / width);
        var counts = new double[bins];
        foreach (var v in values)
        {
            int i = (int)((v - lo) / width);
            if (i >= 0 && i < bins) counts[i]++;
        }
        var smooth = new double[bins];
        for (int i = 1; i < bins - 1; i++) smooth[i] = counts[i - 1] + counts[i] + counts[i + 1];
        int best = Array.IndexOf(smooth, smooth.Max());
        return lo + (best + 0.5) * width;
    }
}
