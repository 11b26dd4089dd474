using BeamDAQ.Analysis.Spectrum;
using BeamDAQ.Analysis.Validation;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Benchmarks.Analysis;

/// <summary>
/// Digitized bunches for the analysis benchmarks: a pedestal with Gaussian noise and, after the trigger, a pulse
/// whose height is the summed deposit of a Poisson number of electrons, each a Landau truncated at the beam
/// energy (2.7 MeV in 500 µm of diamond, the analysis's default response). Noise comes from a precomputed table at random offsets, so gigabytes of
/// waveforms are made at memory speed.
/// </summary>
internal sealed class BeamWaveforms
{
    public const double Range = 0.2;
    public const int Bits = 12;
    public const double Lsb = 2 * Range / (1 << Bits);
    /// <summary>Most probable single-electron amplitude (the LEETECH conversion: 0.226 MeV → 12 mV).</summary>
    public const double SingleElectronVolts = 0.012;

    private static readonly LandauVavilov Physics = new();

    private readonly short[] _noise;
    private readonly float[] _pulse;
    private readonly Random _random;

    public BeamWaveforms(int seed, double lambda, double noiseVolts = 0.0006, double pedestalVolts = 0.003)
    {
        _random = new Random(seed);
        Lambda = lambda;
        _noise = new short[1 << 20];
        for (int i = 0; i < _noise.Length; i++)
            _noise[i] = (short)Math.Round((pedestalVolts + noiseVolts * Gaussian()) / Lsb);
        _pulse = new float[400];
        for (int t = 0; t < _pulse.Length; t++)
            _pulse[t] = (float)(Math.Exp(-t / 60.0) * (1 - Math.Exp(-t / 3.0)) / 0.87);
    }

    public double Lambda { get; }

    /// <summary>Fills one channel's codes: noise, then the bunch's pulse from <paramref name="trigger"/> on.</summary>
    public void Fill(Span<short> codes, int trigger, double height)
    {
        int at = _random.Next(_noise.Length - codes.Length);
        _noise.AsSpan(at, codes.Length).CopyTo(codes);
        if (height <= 0) return;
        int end = Math.Min(codes.Length, trigger + _pulse.Length);
        double scale = height / Lsb;
        int top = (1 << (Bits - 1)) - 1;
        for (int i = trigger; i < end; i++)
            codes[i] = (short)Math.Min(top, codes[i] + (int)(scale * _pulse[i - trigger]));
    }

    /// <summary>Summed single-electron amplitudes of one bunch (volts): Poisson count, truncated-Landau deposit each.</summary>
    public double NextBunchHeight()
    {
        double limit = Math.Exp(-Lambda), p = 1;
        int n = 0;
        while ((p *= _random.NextDouble()) > limit) n++;
        double height = 0;
        for (int k = 0; k < n; k++)
            height += LandauSampler.SampleTruncated(_random, SingleElectronVolts, Physics.WidthInMostProbable, Physics.CapInMostProbable * SingleElectronVolts);
        return height;
    }

    /// <summary>An event over <paramref name="channels"/> consecutive slices of <paramref name="buffer"/> (filled here).</summary>
    public DaqEvent Event(uint run, ulong trigger, byte[] buffer, int offset, int channels, int samples, uint pre, double sampleRate)
    {
        double height = NextBunchHeight();
        var records = new ChannelRecord[channels];
        for (int c = 0; c < channels; c++)
        {
            var bytes = buffer.AsMemory(offset + c * samples * 2, samples * 2);
            Fill(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes.Span), (int)pre, height);
            records[c] = new ChannelRecord(c + 1, Range, Bits, Lsb, 0, bytes);
        }
        return new DaqEvent(run, trigger, 1_700_000_000_000_000_000L + (long)trigger * 200_000_000, EventFlags.None, sampleRate, pre, records);
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
