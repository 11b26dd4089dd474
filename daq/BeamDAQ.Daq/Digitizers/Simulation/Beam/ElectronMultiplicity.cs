using MathNet.Numerics.Distributions;

namespace BeamDAQ.Daq.Digitizers.Simulation.Beam;

/// <summary>
/// The number of electrons in one bunch: n ~ Poisson(λ) — or, with bunch-charge jitter, Poisson(λ·g) where
/// g ~ Gamma(mean 1, variance <see cref="Overdispersion"/>), which makes n negative-binomial with
/// Var n = λ + Overdispersion·λ². Over-dispersed runs are what the multiplicity fit must recognise.
/// </summary>
public sealed class ElectronMultiplicity
{
    public ElectronMultiplicity(double overdispersion)
    {
        if (!(overdispersion >= 0) || double.IsInfinity(overdispersion))
            throw new ArgumentOutOfRangeException(nameof(overdispersion), overdispersion, "over-dispersion must be a finite number ≥ 0");
        Overdispersion = overdispersion;
    }

    /// <summary>Relative variance of the bunch intensity (0 = pure Poisson).</summary>
    public double Overdispersion { get; }

    public int Sample(double lambda, Random random)
    {
        if (!(lambda >= 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "the beam intensity source gave an invalid λ (must be a finite number ≥ 0)");
        if (lambda == 0) return 0;
        double mean = lambda;
        if (Overdispersion > 0)
        {
            double shape = 1 / Overdispersion;
            mean *= Gamma.Sample(random, shape, shape); // mean 1, variance 1/shape
        }
        if (mean <= 0) return 0;
        return mean < 1e9 ? Poisson.Sample(random, mean) : (int)Math.Round(Normal.Sample(random, mean, Math.Sqrt(mean)));
    }
}
