using System.Numerics;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.IntegralTransforms;

namespace BeamDAQ.Daq.Digitizers.Simulation.Signal;

/// <summary>
/// A long precomputed stretch of electronic noise (volts): white Gaussian plus 1/f ("pink") noise made by
/// shaping white noise with 1/√f in the frequency domain. Each event's channel reads a window at a random
/// offset, so per-event work is a copy rather than millions of random draws — this is what lets the simulator
/// feed the acquisition path at hundreds of MB/s. Windows of different events overlap, which no analysis of
/// amplitudes or pedestals can tell from fresh noise.
/// </summary>
public sealed class NoiseTable
{
    public NoiseTable(int length, double whiteRmsVolts, double pinkRmsVolts, Random random)
    {
        if (length < 2 || (length & (length - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be a power of two ≥ 2");
        if (!(whiteRmsVolts >= 0)) throw new ArgumentOutOfRangeException(nameof(whiteRmsVolts), whiteRmsVolts, "white noise rms must be ≥ 0");
        if (!(pinkRmsVolts >= 0)) throw new ArgumentOutOfRangeException(nameof(pinkRmsVolts), pinkRmsVolts, "1/f noise rms must be ≥ 0");
        WhiteRmsVolts = whiteRmsVolts;
        PinkRmsVolts = pinkRmsVolts;
        Samples = new float[length];

        if (whiteRmsVolts > 0)
        {
            var white = new double[length];
            Normal.Samples(random, white, 0, whiteRmsVolts);
            for (int i = 0; i < length; i++) Samples[i] = (float)white[i];
        }
        if (pinkRmsVolts > 0)
        {
            var pink = PinkNoise(length, random);
            for (int i = 0; i < length; i++) Samples[i] += (float)(pinkRmsVolts * pink[i]);
        }
    }

    public float[] Samples { get; }
    public int Length => Samples.Length;
    public double WhiteRmsVolts { get; }
    public double PinkRmsVolts { get; }

    /// <summary>Unit-rms noise with a 1/f power spectrum (amplitude ∝ 1/√f), zero mean.</summary>
    private static double[] PinkNoise(int length, Random random)
    {
        var spectrum = new Complex[length];
        var white = new double[length];
        Normal.Samples(random, white, 0, 1);
        for (int i = 0; i < length; i++) spectrum[i] = new Complex(white[i], 0);
        Fourier.Forward(spectrum, FourierOptions.NoScaling);
        spectrum[0] = Complex.Zero;
        for (int k = 1; k < length; k++)
        {
            int f = k <= length / 2 ? k : length - k; // the negative-frequency half mirrors the positive one
            spectrum[k] /= Math.Sqrt(f);
        }
        Fourier.Inverse(spectrum, FourierOptions.NoScaling);
        var result = new double[length];
        double sumSquares = 0;
        for (int i = 0; i < length; i++)
        {
            result[i] = spectrum[i].Real;
            sumSquares += result[i] * result[i];
        }
        double rms = Math.Sqrt(sumSquares / length);
        if (rms > 0) for (int i = 0; i < length; i++) result[i] /= rms;
        return result;
    }
}
