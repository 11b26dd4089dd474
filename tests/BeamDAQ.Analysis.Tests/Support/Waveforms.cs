using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Tests.Support;

/// <summary>Builds events from hand-written or random int16 waveforms.</summary>
internal static class Waveforms
{
    /// <summary>A channel whose codes are <paramref name="codes"/>; default calibration: ±1 V, 16 bit, lsb 1/32768 V.</summary>
    public static ChannelRecord Channel(int id, short[] codes, double range = 1.0, int bits = 16, double? lsb = null, double offset = 0)
    {
        var bytes = new byte[codes.Length * 2];
        Buffer.BlockCopy(codes, 0, bytes, 0, bytes.Length);
        return new ChannelRecord(id, range, bits, lsb ?? 2 * range / (1 << bits), offset, bytes);
    }

    public static DaqEvent Event(uint preSamples, params ChannelRecord[] channels) =>
        Event(preSamples, 1e8, EventFlags.None, 1, channels);

    public static DaqEvent Event(uint preSamples, double sampleRate, EventFlags flags, ulong trigger, params ChannelRecord[] channels) =>
        new(run: 7, trigger, timeNs: 1_700_000_000_000_000_000 + (long)trigger * 200_000_000, flags, sampleRate, preSamples, channels);

    /// <summary>Gaussian codes around <paramref name="mean"/> with a pulse of height <paramref name="pulse"/> at <paramref name="pulseAt"/>.</summary>
    public static short[] Noisy(Random random, int length, double mean, double sigma, int pulseAt = -1, double pulse = 0, int pulseWidth = 20)
    {
        var codes = new short[length];
        for (int i = 0; i < length; i++)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            double value = mean + sigma * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            if (pulseAt >= 0 && i >= pulseAt) value += pulse * Math.Exp(-(i - pulseAt) / (double)pulseWidth);
            codes[i] = (short)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);
        }
        return codes;
    }

    /// <summary>Uniform codes over the whole int16 range, extremes included.</summary>
    public static short[] Uniform(Random random, int length)
    {
        var codes = new short[length];
        for (int i = 0; i < length; i++) codes[i] = (short)random.Next(short.MinValue, short.MaxValue + 1);
        return codes;
    }
}
