using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Features;

/// <summary>
/// The conversion of one channel's codes to volts (volts = <see cref="Offset"/> + <see cref="Lsb"/> · code) and
/// the codes at which the digitizer clips.
/// </summary>
public readonly record struct ChannelCalibration(int ChannelId, double Range, int Bits, double Lsb, double Offset)
{
    public static ChannelCalibration Of(ChannelRecord channel) =>
        new(channel.Id, channel.Range, channel.Bits, channel.Lsb, channel.Offset);

    /// <summary>
    /// Lowest code that counts as clipped high. A two's-complement ADC's top code is one resolution step below
    /// +range and its bottom code at −range; half a step of tolerance either way finds both end codes whatever
    /// the code scaling.
    /// </summary>
    public int ClipHighCode => (int)Math.Clamp(Math.Ceiling((Range - 1.5 * Step - Offset) / Lsb), short.MinValue, short.MaxValue + 1.0);

    /// <summary>Highest code that counts as clipped low.</summary>
    public int ClipLowCode => (int)Math.Clamp(Math.Floor((-Range + 0.5 * Step - Offset) / Lsb), short.MinValue - 1.0, short.MaxValue);

    /// <summary>The ADC's resolution step in volts: 2·range/2^bits, or one code when the resolution is unknown.</summary>
    public double Step => Bits is > 0 and < 32 ? 2 * Range / (1L << Bits) : Math.Abs(Lsb);
}
