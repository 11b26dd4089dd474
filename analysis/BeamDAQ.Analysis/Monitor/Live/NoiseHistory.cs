using BeamDAQ.Analysis.Characterization;
using BeamDAQ.Analysis.Features;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Monitor.Live;

/// <summary>One point of the baseline-noise history: the mean baseline RMS of the events in a time bucket.</summary>
public readonly record struct NoisePoint(long TimeNs, double MeanRms, int Events);

/// <summary>
/// The electronic noise as the crew watches it: per channel, the baseline RMS (from each event's pre-trigger
/// samples, as the features compute it) averaged over time buckets, and the Welch noise spectrum of the
/// pre-trigger samples by the offline <see cref="NoiseSink"/>. The history keeps at most <c>maxPoints</c> points;
/// when full, neighbouring points are merged pairwise and the bucket doubles, so an eight-hour run still fits.
/// Guarded by the owner's lock.
/// </summary>
public sealed class NoiseHistory
{
    private readonly ChannelHistory?[] _channels = new ChannelHistory?[4];
    private readonly int _segmentLength;
    private readonly IReadOnlyList<int>? _channelFilter;
    private readonly long _initialBucketNs;
    private readonly int _maxPoints;
    private NoiseSink _spectrum;

    public NoiseHistory(int segmentLength, IReadOnlyList<int>? channels, TimeSpan bucket, int maxPoints = 1200)
    {
        _segmentLength = segmentLength;
        _channelFilter = channels;
        _initialBucketNs = bucket.Ticks * 100;
        _maxPoints = maxPoints;
        _spectrum = new NoiseSink(NoiseRegion.PreTrigger, segmentLength, channels);
    }

    public long Version { get; private set; }

    public void Add(DaqEvent daqEvent, EventFeatures features)
    {
        _spectrum.OnEvent(daqEvent, features);
        foreach (ref readonly var channel in features.Channels)
        {
            if (!double.IsFinite(channel.BaselineRms)) continue;
            var history = _channels[channel.ChannelId - 1] ??= new ChannelHistory(_initialBucketNs, _maxPoints);
            if (history.Add(features.TimeNs, channel.BaselineRms)) Version++;
        }
    }

    /// <summary>The noise of every channel that had data (RMS, pedestal, Welch spectrum) by the offline sink.</summary>
    public IReadOnlyList<ChannelNoise> Spectra() => _spectrum.Results();

    public IReadOnlyList<NoisePoint> History(int channelId) => _channels[channelId - 1]?.Points() ?? [];

    public void Reset()
    {
        Array.Clear(_channels);
        _spectrum = new NoiseSink(NoiseRegion.PreTrigger, _segmentLength, _channelFilter);
        Version++;
    }

    private sealed class ChannelHistory(long bucketNs, int maxPoints)
    {
        private readonly List<NoisePoint> _points = [];
        private long _bucketNs = bucketNs;
        private long _bucketStart = long.MinValue;
        private double _sum;
        private int _count;

        /// <summary>Returns true when a bucket was closed (the history changed visibly).</summary>
        public bool Add(long timeNs, double rms)
        {
            bool closed = false;
            if (_count > 0 && timeNs >= _bucketStart + _bucketNs)
            {
                Close();
                closed = true;
            }
            if (_count == 0) _bucketStart = timeNs - Math.Abs(timeNs % _bucketNs);
            _sum += rms;
            _count++;
            return closed || _points.Count == 0;
        }

        private void Close()
        {
            _points.Add(new NoisePoint(_bucketStart + _bucketNs / 2, _sum / _count, _count));
            _sum = 0;
            _count = 0;
            if (_points.Count < maxPoints) return;
            // Halve the resolution: merge neighbours, weighted by their events.
            var merged = new List<NoisePoint>(_points.Count / 2 + 1);
            for (int i = 0; i + 1 < _points.Count; i += 2)
            {
                var a = _points[i];
                var b = _points[i + 1];
                int n = a.Events + b.Events;
                merged.Add(new NoisePoint((a.TimeNs + b.TimeNs) / 2, (a.MeanRms * a.Events + b.MeanRms * b.Events) / n, n));
            }
            if (_points.Count % 2 == 1) merged.Add(_points[^1]);
            _points.Clear();
            _points.AddRange(merged);
            _bucketNs *= 2;
        }

        /// <summary>The closed buckets and the open one.</summary>
        public IReadOnlyList<NoisePoint> Points()
        {
            var result = new List<NoisePoint>(_points.Count + 1);
            result.AddRange(_points);
            if (_count > 0) result.Add(new NoisePoint(_bucketStart + _bucketNs / 2, _sum / _count, _count));
            return result;
        }
    }
}
