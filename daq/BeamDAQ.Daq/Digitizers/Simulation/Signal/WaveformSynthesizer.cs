using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Daq.Digitizers.Simulation.Signal;

/// <summary>
/// Turns a bunch into the block the HS4 would record: baseline and noise on every enabled channel, the shaped
/// pulse on the detector channel, then quantisation to the resolution and clipping at the range with the
/// over-range flag. Built once per configuration; per event it copies precomputed noise codes and recomputes
/// only the samples the pulse touches.
/// </summary>
internal sealed class WaveformSynthesizer
{
    private readonly AppliedSettings _applied;
    private readonly ChannelPlan[] _channels;
    private readonly NoiseTable _noise;
    private readonly PulseShape _pulse;
    private readonly double _baseline;
    private readonly double _polarity;
    private readonly int _preSamples;
    private readonly Random _random;

    private sealed class ChannelPlan(int id, AdcScale scale, short[] baselineCodes, bool tableSaturates, bool carriesSignal)
    {
        public int Id { get; } = id;
        public AdcScale Scale { get; } = scale;
        /// <summary>Quantised baseline + noise over the whole noise table.</summary>
        public short[] BaselineCodes { get; } = baselineCodes;
        public bool TableSaturates { get; } = tableSaturates;
        public bool CarriesSignal { get; } = carriesSignal;
    }

    public WaveformSynthesizer(AppliedSettings applied, SimulatorSettings sim, Random random)
    {
        _applied = applied;
        _random = random;
        _baseline = sim.BaselineVolts;
        _polarity = sim.Polarity == PulsePolarity.Negative ? -1 : 1;
        _preSamples = Hs4.Hs4Limits.PreSamples(applied.PreSampleRatio, applied.RecordLength);

        int tableLength = Math.Max(1 << 18, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)applied.RecordLength * 4));
        _noise = new NoiseTable(tableLength, sim.WhiteNoiseVolts, sim.PinkNoiseVolts, random);
        _pulse = new PulseShape(sim.ShapingTimeSeconds, sim.ShaperOrder, sim.PulseDelaySeconds, applied.SampleRateHz, applied.RecordLength);

        var enabled = applied.Channels.Where(c => c.Enabled).ToArray();
        _channels = new ChannelPlan[enabled.Length];
        for (int k = 0; k < enabled.Length; k++)
        {
            var scale = new AdcScale(enabled[k].RangeVolts, applied.ResolutionBits);
            var codes = new short[tableLength];
            bool saturates = false;
            var noise = _noise.Samples;
            for (int i = 0; i < tableLength; i++) codes[i] = scale.ToCode(_baseline + noise[i], ref saturates);
            _channels[k] = new ChannelPlan(enabled[k].Id, scale, codes, saturates, enabled[k].Id == sim.SignalChannel);
        }
    }

    public PulseShape Pulse => _pulse;

    /// <summary>
    /// Fills <paramref name="block"/> with one event whose pulse peaks at <paramref name="peakVolts"/> (0: no pulse).
    /// <paramref name="validPreSamples"/> below the requested pre-samples drops the missing ones from the start.
    /// </summary>
    public void Fill(AcquiredBlock block, double peakVolts, int validPreSamples, EventFlags flags)
    {
        int n = _applied.RecordLength;
        int skip = Math.Max(0, _preSamples - validPreSamples);
        int tableLength = _noise.Length;
        var noise = _noise.Samples;
        for (int k = 0; k < _channels.Length; k++)
        {
            var plan = _channels[k];
            var codes = block.SamplesOf(k);
            int offset = _random.Next(0, tableLength - n + 1);
            plan.BaselineCodes.AsSpan(offset, n).CopyTo(codes);
            bool saturated = plan.TableSaturates && HasEndCode(codes.AsSpan(0, n), plan.Scale);

            if (plan.CarriesSignal && peakVolts != 0)
            {
                var (first, values) = _pulse.Template(_random.Next(PulseShape.PhaseCount));
                double amplitude = _polarity * peakVolts;
                int start = _preSamples + first;
                int end = Math.Min(n, start + values.Length);
                for (int j = Math.Max(0, start); j < end; j++)
                    codes[j] = plan.Scale.ToCode(_baseline + noise[offset + j] + amplitude * values[j - start], ref saturated);
            }
            if (skip > 0) Array.Copy(codes, skip, codes, 0, n - skip);
            if (saturated) flags |= EventFlagsExtensions.OverRangeOf(plan.Id);
        }
        block.SampleCount = n - skip;
        block.ValidPreSamples = _preSamples - skip;
        block.Flags = flags;
    }

    private static bool HasEndCode(ReadOnlySpan<short> codes, AdcScale scale) =>
        codes.IndexOfAnyExceptInRange((short)(scale.MinCode + 1), (short)(scale.MaxCode - 1)) >= 0;
}
