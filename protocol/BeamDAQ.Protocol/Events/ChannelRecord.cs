using System.Runtime.InteropServices;

namespace BeamDAQ.Protocol.Events;

/// <summary>
/// One digitizer channel of an event: calibration and the raw samples as little-endian int16 codes
/// (volts = <see cref="Offset"/> + <see cref="Lsb"/> · code). The samples are a slice of the buffer the event
/// was decoded from, never a copy.
/// </summary>
public sealed class ChannelRecord
{
    public ChannelRecord(int id, double range, int bits, double lsb, double offset, ReadOnlyMemory<byte> sampleBytes)
    {
        if (id is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(id), id, "channel id must be 1–4");
        if ((sampleBytes.Length & 1) != 0) throw new ArgumentException($"sample bytes must be a whole number of int16 values, got {sampleBytes.Length} bytes", nameof(sampleBytes));
        Id = id;
        Range = range;
        Bits = bits;
        Lsb = lsb;
        Offset = offset;
        SampleBytes = sampleBytes;
    }

    /// <summary>Channel number 1–4 (<c>id</c>).</summary>
    public int Id { get; }
    /// <summary>Full-scale range in volts (<c>range</c>).</summary>
    public double Range { get; }
    /// <summary>Resolution in bits (<c>bits</c>).</summary>
    public int Bits { get; }
    /// <summary>Volts per code (<c>lsb</c>).</summary>
    public double Lsb { get; }
    /// <summary>Volts at code 0 (<c>off</c>).</summary>
    public double Offset { get; }
    /// <summary>The <c>s</c> bin: little-endian int16 codes.</summary>
    public ReadOnlyMemory<byte> SampleBytes { get; }

    public int SampleCount => SampleBytes.Length / 2;

    /// <summary>The codes as int16 without copying (BeamDAQ runs on little-endian hosts only; see <see cref="EventCodec"/>).</summary>
    public ReadOnlySpan<short> Samples => MemoryMarshal.Cast<byte, short>(SampleBytes.Span);

    public double ToVolts(short code) => Offset + Lsb * code;
}
