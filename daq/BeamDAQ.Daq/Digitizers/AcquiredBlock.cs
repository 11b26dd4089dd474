using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Daq.Digitizers;

/// <summary>
/// Reusable buffers for one block: int16 codes per enabled channel plus what the device reported about it.
/// Allocated once per configuration so the per-event path allocates nothing.
/// </summary>
public sealed class AcquiredBlock
{
    private readonly short[][] _samples;

    public AcquiredBlock(AppliedSettings applied)
    {
        Applied = applied;
        Channels = applied.Channels.Where(c => c.Enabled).ToArray();
        _samples = Channels.Select(_ => new short[applied.RecordLength]).ToArray();
    }

    public AppliedSettings Applied { get; }
    /// <summary>The enabled channels, in the order of <see cref="SamplesOf"/>.</summary>
    public IReadOnlyList<AppliedChannel> Channels { get; }
    /// <summary>Valid samples in this block (≤ record length).</summary>
    public int SampleCount { get; set; }
    /// <summary>Valid pre-trigger samples in this block.</summary>
    public int ValidPreSamples { get; set; }
    /// <summary>Over-range, trigger time-out and incomplete pre-samples as reported by the device.</summary>
    public EventFlags Flags { get; set; }

    /// <summary>The code buffer of the <paramref name="index"/>-th enabled channel (full record length).</summary>
    public short[] SamplesOf(int index) => _samples[index];
}
