using BeamDAQ.Analysis.Spectrum;
using BeamDAQ.Analysis.Validation;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Monitor.Tests.Support;

/// <summary>
/// Events as the front end publishes them, from an independent generator: a Poisson number of electrons per
/// bunch, each depositing a truncated-Landau amount (most probable 12 mV, the fit's default physics), summed into
/// one shaped pulse on a noisy baseline, quantised to 16-bit codes of the ±0.2 V range. Seeded, so reproducible.
/// </summary>
public sealed class SyntheticEvents(int seed = 1, int samples = 256, uint preSamples = 64, double sampleRate = 5e7)
{
    public const double MostProbableVolts = 0.012;
    public const double WidthRatio = 0.077;
    public const double NoiseVolts = 0.0005;
    public const double BaselineVolts = 0.0015;
    public const double Range = 0.8;
    public const double Lsb = 2 * Range / 65536;

    private static readonly double Cap = new LandauVavilov().CapInMostProbable;
    private readonly Random _random = new(seed);

    public int Samples => samples;
    public uint PreSamples => preSamples;

    /// <summary>One event of run <paramref name="run"/> with a bunch of mean multiplicity <paramref name="lambda"/>.</summary>
    public DaqEvent Next(uint run, ulong trigger, long timeNs, double lambda, int channels = 1)
    {
        int electrons = Poisson(lambda);
        double height = 0;
        for (int k = 0; k < electrons; k++)
            height += LandauSampler.SampleTruncated(_random, MostProbableVolts, WidthRatio, Cap * MostProbableVolts);
        var records = new ChannelRecord[channels];
        for (int c = 0; c < channels; c++)
            records[c] = Channel(c + 1, Pulse(height));
        return new DaqEvent(run, trigger, timeNs, EventFlags.None, sampleRate, preSamples, records);
    }

    private short[] Pulse(double height)
    {
        var codes = new short[samples];
        int start = (int)preSamples + 4;
        for (int i = 0; i < samples; i++)
        {
            double v = BaselineVolts + NoiseVolts * Gaussian();
            int t = i - start;
            // CR-RC-like: rises in a few samples, decays over ~25; normalised so the peak is `height`.
            if (t >= 0) v += height * (Math.Exp(-t / 25.0) - Math.Exp(-t / 2.0)) / 0.7368;
            codes[i] = (short)Math.Clamp(Math.Round(v / Lsb), short.MinValue, short.MaxValue);
        }
        return codes;
    }

    private static ChannelRecord Channel(int id, short[] codes)
    {
        var bytes = new byte[codes.Length * 2];
        Buffer.BlockCopy(codes, 0, bytes, 0, bytes.Length);
        return new ChannelRecord(id, Range, 16, Lsb, 0, bytes);
    }

    private int Poisson(double lambda)
    {
        double limit = Math.Exp(-lambda), p = 1;
        int k = 0;
        while ((p *= _random.NextDouble()) > limit) k++;
        return k;
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
