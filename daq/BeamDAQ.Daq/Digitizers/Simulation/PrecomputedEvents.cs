using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Daq.Digitizers.Simulation;

/// <summary>
/// A pool of events synthesised once at configuration and replayed in turn: the benchmark mode, where the
/// cost of an event is one copy per channel. The physics of the pool is the normal one; only its repetition
/// every N events is artificial.
/// </summary>
internal sealed class PrecomputedEvents
{
    private readonly AcquiredBlock[] _blocks;
    private readonly SimulatedBunch[] _truth;

    public PrecomputedEvents(AppliedSettings applied, int count, SimulatedHs4 source)
    {
        _blocks = new AcquiredBlock[count];
        _truth = new SimulatedBunch[count];
        int pre = Hs4.Hs4Limits.PreSamples(applied.PreSampleRatio, applied.RecordLength);
        for (int i = 0; i < count; i++)
        {
            var bunch = source.SampleBunch(0, default);
            var block = new AcquiredBlock(applied);
            source.Synthesizer.Fill(block, bunch.PeakVolts, pre, EventFlags.None);
            _blocks[i] = block;
            _truth[i] = bunch;
        }
    }

    public SimulatedBunch CopyTo(AcquiredBlock target, long eventNumber, int validPreSamples, EventFlags flags)
    {
        int index = (int)((eventNumber - 1) % _blocks.Length);
        var source = _blocks[index];
        int skip = Math.Max(0, source.ValidPreSamples - validPreSamples);
        int count = source.SampleCount - skip;
        for (int k = 0; k < source.Channels.Count; k++)
            Array.Copy(source.SamplesOf(k), skip, target.SamplesOf(k), 0, count);
        target.SampleCount = count;
        target.ValidPreSamples = source.ValidPreSamples - skip;
        target.Flags = source.Flags | flags;
        return _truth[index];
    }
}
