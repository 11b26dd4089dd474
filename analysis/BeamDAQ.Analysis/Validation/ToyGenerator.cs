using MathNet.Numerics.Distributions;

namespace BeamDAQ.Analysis.Validation;

/// <summary>
/// Samples toy bunches event by event — Poisson (or gamma-Poisson) multiplicity, one truncated-Landau deposit
/// per electron from <see cref="LandauSampler"/>, Gaussian noise, pedestal — without touching the FFT model,
/// so that fitting toys tests the model and not a copy of it. Randomness is injected for reproducibility.
/// </summary>
public static class ToyGenerator
{
    public static double[] Generate(ToySpectrumSettings truth, int bunches, Random random)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(random);
        if (bunches < 1) throw new ArgumentOutOfRangeException(nameof(bunches), bunches, "at least one bunch");
        var amplitudes = new double[bunches];
        double cap = truth.CapInMostProbable * truth.MostProbable;
        for (int b = 0; b < bunches; b++)
        {
            double mean = truth.Lambda;
            if (truth.OverDispersion > 0)
            {
                double k = 1 / truth.OverDispersion;
                mean = Gamma.Sample(random, k, k / truth.Lambda); // shape k, rate k/λ: mean λ, variance λ²/k
            }
            int electrons = mean > 0 ? Poisson.Sample(random, mean) : 0;
            double deposit = 0;
            for (int e = 0; e < electrons; e++)
                deposit += LandauSampler.SampleTruncated(random, truth.MostProbable, truth.WidthRatio, cap);
            amplitudes[b] = truth.Pedestal + deposit + truth.Noise * Normal.Sample(random, 0, 1);
        }
        return amplitudes;
    }
}
