using System.Runtime.CompilerServices;

namespace BeamDAQ.Daq.Digitizers;

/// <summary>
/// The code scale of one channel: a symmetric range ±<see cref="RangeVolts"/> divided into 2^bits levels
/// (HS4 manual §3.3: voltage step = full input range / level count, e.g. 0.4 V / 4096 = 97.65 µV at ±200 mV,
/// 12 bit). volts = <see cref="Lsb"/> · code. A sample at one of the end codes is saturated: the input was at
/// or beyond full scale, which sets the channel's over-range flag.
/// </summary>
public readonly struct AdcScale
{
    public AdcScale(double rangeVolts, int bits)
    {
        if (!(rangeVolts > 0)) throw new ArgumentOutOfRangeException(nameof(rangeVolts), rangeVolts, "range must be > 0 V");
        if (bits is < 2 or > 16) throw new ArgumentOutOfRangeException(nameof(bits), bits, "resolution must be 2–16 bit for int16 codes");
        RangeVolts = rangeVolts;
        Bits = bits;
        Lsb = 2.0 * rangeVolts / (1 << bits);
        InverseLsb = 1.0 / Lsb;
        MinCode = -(1 << (bits - 1));
        MaxCode = (1 << (bits - 1)) - 1;
    }

    public double RangeVolts { get; }
    public int Bits { get; }
    /// <summary>Volts per code.</summary>
    public double Lsb { get; }
    public double InverseLsb { get; }
    public int MinCode { get; }
    public int MaxCode { get; }

    /// <summary>Rounds to the nearest level and clips at the end codes; <paramref name="saturated"/> is set when clipped or at an end code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public short ToCode(double volts, ref bool saturated)
    {
        double scaled = Math.Round(volts * InverseLsb);
        if (scaled >= MaxCode) { saturated = true; return (short)MaxCode; }
        if (scaled <= MinCode) { saturated = true; return (short)MinCode; }
        return (short)scaled;
    }

    /// <summary>Converts a block of volts to codes; returns whether any sample saturated.</summary>
    public bool Quantize(ReadOnlySpan<float> volts, Span<short> codes)
    {
        if (codes.Length < volts.Length) throw new ArgumentException("code buffer shorter than the sample buffer", nameof(codes));
        bool saturated = false;
        for (int i = 0; i < volts.Length; i++)
        {
            float v = volts[i];
            // NaN would round to an undefined code; treat it as a saturated sample rather than silently zero.
            if (float.IsNaN(v)) { saturated = true; codes[i] = 0; continue; }
            codes[i] = ToCode(v, ref saturated);
        }
        return saturated;
    }
}
