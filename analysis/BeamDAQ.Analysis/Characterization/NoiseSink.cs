using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Characterization;

/// <summary>
/// Measures the electronic noise of each channel from the samples of a <see cref="NoiseRegion"/>: the RMS about
/// each event's own mean (so slow pedestal drifts do not count as noise), the pedestal's event-to-event spread,
/// the mean noise power with its statistical error, and the Welch power spectral density.
/// </summary>
public sealed class NoiseSink : IEventSink
{
    private readonly ChannelNoiseAccumulator?[] _channels = new ChannelNoiseAccumulator?[4];
    private double[] _volts = [];

    /// <param name="region">Samples taken as noise.</param>
    /// <param name="segmentLength">Welch segment length in samples; records shorter than it use their own length (at least 8 samples).</param>
    /// <param name="channels">Channel ids to measure; null for every channel.</param>
    public NoiseSink(NoiseRegion region = NoiseRegion.PreTrigger, int segmentLength = 256, IReadOnlyList<int>? channels = null)
    {
        if (segmentLength < 8)
            throw new ArgumentOutOfRangeException(nameof(segmentLength), segmentLength, "a Welch segment needs at least 8 samples");
        Region = region;
        SegmentLength = segmentLength;
        Channels = channels;
    }

    public NoiseRegion Region { get; }
    public int SegmentLength { get; }
    public IReadOnlyList<int>? Channels { get; }

    public void OnEvent(DaqEvent daqEvent, EventFeatures features)
    {
        var channels = daqEvent.Channels;
        for (int i = 0; i < channels.Count; i++)
        {
            var channel = channels[i];
            if (!Selected(channel.Id)) continue;
            var codes = channel.Samples;
            if (Region == NoiseRegion.PreTrigger)
                codes = codes[..(int)Math.Min(daqEvent.PreSamples, (uint)codes.Length)];
            var accumulator = _channels[channel.Id - 1] ??= new ChannelNoiseAccumulator(channel.Id);
            accumulator.Add(codes, channel.Lsb, channel.Offset, daqEvent.SampleRate, SegmentLength, ref _volts);
        }
    }

    private bool Selected(int channelId)
    {
        if (Channels is null) return true;
        for (int i = 0; i < Channels.Count; i++)
            if (Channels[i] == channelId) return true;
        return false;
    }

    /// <summary>Adds another sink's measurements (a parallel worker over the same kind of data).</summary>
    public void Merge(NoiseSink other)
    {
        for (int i = 0; i < 4; i++)
        {
            if (other._channels[i] is not { } theirs) continue;
            if (_channels[i] is { } ours) ours.Merge(theirs);
            else _channels[i] = theirs;
        }
    }

    /// <summary>The noise of every channel that had data, by channel id.</summary>
    public IReadOnlyList<ChannelNoise> Results() =>
        _channels.Where(c => c is not null).Select(c => c!.Result(Region)).ToList();

    private sealed class ChannelNoiseAccumulator(int channelId)
    {
        private long _events, _samples, _skipped;
        private double _sumVariance, _sumVarianceSquared;    // per-event variance (V²), for the mean power and its error
        private double _sumWeightedVariance;                 // Σ n·variance: the pooled within-event variance
        private double _sumMean, _sumMeanSquared;            // per-event mean (V): pedestal level and wander
        private WelchPsd? _psd;
        private string? _skipReason;

        public void Add(ReadOnlySpan<short> codes, double lsb, double offset, double sampleRate, int segmentLength, ref double[] volts)
        {
            int n = codes.Length;
            if (n < 2)
            {
                Skip($"{n} noise sample(s) in the record; at least 2 are needed");
                return;
            }
            WaveformKernels.SumSquaresMinMax(codes, out long sum, out ulong sumSq, out _, out _);
            double meanCode = (double)sum / n;
            double varianceCodes = (double)((Int128)n * sumSq - (Int128)sum * sum) / ((double)n * n);
            double variance = lsb * lsb * varianceCodes;
            double mean = offset + lsb * meanCode;
            _events++;
            _samples += n;
            _sumVariance += variance;
            _sumVarianceSquared += variance * variance;
            _sumWeightedVariance += n * variance;
            _sumMean += mean;
            _sumMeanSquared += mean * mean;

            int length = Math.Min(segmentLength, n);
            if (length < 8 || !(sampleRate > 0)) return;
            if (_psd is null) _psd = new WelchPsd(length, sampleRate);
            else if (_psd.SampleRate != sampleRate || _psd.SegmentLength != length)
            {
                // One spectrum needs one rate and one bin spacing; other records still count towards the RMS.
                Skip($"record of {n} samples at {sampleRate} Hz does not fit the spectrum of {_psd.SegmentLength}-sample segments at {_psd.SampleRate} Hz");
                return;
            }
            if (volts.Length < n) volts = new double[n];
            for (int i = 0; i < n; i++) volts[i] = lsb * codes[i];
            _psd.AddRecord(volts.AsSpan(0, n));
        }

        private void Skip(string reason)
        {
            _skipped++;
            _skipReason ??= reason;
        }

        public void Merge(ChannelNoiseAccumulator other)
        {
            _events += other._events;
            _samples += other._samples;
            _skipped += other._skipped;
            _skipReason ??= other._skipReason;
            _sumVariance += other._sumVariance;
            _sumVarianceSquared += other._sumVarianceSquared;
            _sumWeightedVariance += other._sumWeightedVariance;
            _sumMean += other._sumMean;
            _sumMeanSquared += other._sumMeanSquared;
            if (other._psd is null) return;
            if (_psd is null) _psd = other._psd;
            else if (_psd.SegmentLength == other._psd.SegmentLength && _psd.SampleRate == other._psd.SampleRate) _psd.Merge(other._psd);
            else Skip($"a spectrum of {other._psd.SegmentLength}-sample segments at {other._psd.SampleRate} Hz could not be merged");
        }

        public ChannelNoise Result(NoiseRegion region)
        {
            double meanPower = _events > 0 ? _sumVariance / _events : double.NaN;
            double powerSpread = _events > 1 ? Math.Sqrt(Math.Max(0, (_sumVarianceSquared - _events * meanPower * meanPower) / (_events - 1))) : double.NaN;
            double pedestal = _events > 0 ? _sumMean / _events : double.NaN;
            double pedestalSpread = _events > 1 ? Math.Sqrt(Math.Max(0, (_sumMeanSquared - _events * pedestal * pedestal) / (_events - 1))) : double.NaN;
            double rms = _samples > 0 ? Math.Sqrt(_sumWeightedVariance / _samples) : double.NaN;
            return new ChannelNoise(channelId, region, _events, _samples, rms, meanPower,
                _events > 1 ? powerSpread / Math.Sqrt(_events) : double.NaN, pedestal, pedestalSpread,
                _psd?.Result(), _skipped, _skipReason);
        }
    }
}

/// <summary>
/// The noise of one channel. <see cref="Rms"/> pools every event's samples about that event's own mean;
/// <see cref="MeanPower"/> is the mean per-event variance (V²) with the standard error of that mean;
/// <see cref="PedestalSpread"/> is how much the per-event mean wanders from event to event.
/// </summary>
public sealed record ChannelNoise(
    int ChannelId,
    NoiseRegion Region,
    long Events,
    long Samples,
    double Rms,
    double MeanPower,
    double MeanPowerError,
    double Pedestal,
    double PedestalSpread,
    PowerSpectralDensity? Spectrum,
    long SkippedRecords,
    string? SkipReason);
