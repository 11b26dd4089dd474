namespace BeamDAQ.Daq.Acquisition;

/// <summary>
/// Per-event dead time (from the moment a block was ready to the moment the digitizer was armed again) as a
/// histogram with 64 logarithmic bins per decade from 100 ns to 100 s: median and p99 to within 4 %, with a
/// fixed array and no allocation per event.
/// </summary>
/// <remarks>Written by the acquisition thread; <see cref="Snapshot"/> from others takes a consistent copy under a lock.</remarks>
public sealed class DeadTimeStatistics
{
    private const double MinSeconds = 1e-7;
    private const int BinsPerDecade = 64;
    private const int Decades = 9;
    private static readonly double BinsPerLog10 = BinsPerDecade;

    private readonly Lock _gate = new();
    private readonly long[] _bins = new long[BinsPerDecade * Decades + 2]; // + underflow and overflow
    private long _count;
    private double _sum, _max;

    public void Add(double seconds)
    {
        if (!(seconds >= 0)) return;
        int bin = seconds < MinSeconds ? 0 : 1 + (int)Math.Floor(Math.Log10(seconds / MinSeconds) * BinsPerLog10);
        if (bin >= _bins.Length) bin = _bins.Length - 1;
        lock (_gate)
        {
            _bins[bin]++;
            _count++;
            _sum += seconds;
            if (seconds > _max) _max = seconds;
        }
    }

    public DeadTimeSummary Snapshot()
    {
        lock (_gate)
        {
            return new DeadTimeSummary(_count, _count == 0 ? 0 : _sum / _count, Quantile(0.5), Quantile(0.99), _max);
        }
    }

    /// <summary>The bin centre (geometric) where the cumulative count reaches <paramref name="q"/>.</summary>
    private double Quantile(double q)
    {
        if (_count == 0) return 0;
        long target = (long)Math.Ceiling(q * _count);
        long cumulative = 0;
        for (int i = 0; i < _bins.Length; i++)
        {
            cumulative += _bins[i];
            if (cumulative >= target)
            {
                if (i == 0) return MinSeconds / 2;
                if (i == _bins.Length - 1) return _max;
                return Math.Min(_max, MinSeconds * Math.Pow(10, (i - 0.5) / BinsPerLog10));
            }
        }
        return _max;
    }
}

/// <summary>Dead time per event in seconds: how many events, mean, median, 99th percentile, maximum.</summary>
public sealed record DeadTimeSummary(long Events, double MeanSeconds, double MedianSeconds, double P99Seconds, double MaxSeconds);
