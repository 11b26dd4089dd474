namespace BeamDAQ.Analysis.Monitor.Live;

/// <summary>A finished block of <c>N</c> bunches of the fit channel, waiting for its fit.</summary>
public sealed record TrendBlock(int Index, long Generation, ulong? Run, ulong FirstTrigger, ulong LastTrigger, long FirstTimeNs, long LastTimeNs, double[] Amplitudes);

/// <summary>One point of λ over the run: the fit of one block of bunches (and its zero-fraction cross-check).</summary>
public sealed record TrendPoint(int Index, ulong FirstTrigger, ulong LastTrigger, long FirstTimeNs, long LastTimeNs, int Events,
    bool Converged, double Lambda, double LambdaError, double ZeroFractionLambda, double ZeroFractionLambdaError);

/// <summary>
/// λ over the run, one point per <see cref="BunchesPerPoint"/> bunches of the fit channel: the amplitudes are
/// collected into blocks, finished blocks wait in a short queue for the fit thread (the oldest is dropped, and
/// counted, if the fits fall behind), and fitted blocks become points. Guarded by the owner's lock.
/// </summary>
public sealed class LambdaTrend(int bunchesPerPoint, int maxPending = 8, int maxPoints = 5000)
{
    private readonly Queue<TrendBlock> _pending = new();
    private readonly List<TrendPoint> _points = [];
    private List<double> _block = new(bunchesPerPoint);
    private ulong _firstTrigger, _lastTrigger;
    private long _firstTime, _lastTime;
    private int _nextIndex;

    public int BunchesPerPoint { get; } = bunchesPerPoint;
    public IReadOnlyList<TrendPoint> Points => _points;
    public int PendingBlocks => _pending.Count;
    /// <summary>Blocks dropped unfitted because the fits fell behind.</summary>
    public long DroppedBlocks { get; private set; }
    /// <summary>Points removed from the start because the run had more than the kept number.</summary>
    public long TrimmedPoints { get; private set; }
    public int CollectedInBlock => _block.Count;
    public long Version { get; private set; }
    public long Generation { get; private set; }

    /// <summary>Adds one bunch's amplitude; returns true when that finished a block.</summary>
    public bool Add(double amplitude, ulong trigger, long timeNs, ulong? run)
    {
        if (_block.Count == 0)
        {
            _firstTrigger = trigger;
            _firstTime = timeNs;
        }
        _lastTrigger = trigger;
        _lastTime = timeNs;
        _block.Add(amplitude);
        if (_block.Count < BunchesPerPoint) return false;
        if (_pending.Count >= maxPending)
        {
            _pending.Dequeue();
            DroppedBlocks++;
        }
        _pending.Enqueue(new TrendBlock(_nextIndex++, Generation, run, _firstTrigger, _lastTrigger, _firstTime, _lastTime, _block.ToArray()));
        _block = new List<double>(BunchesPerPoint);
        return true;
    }

    public bool TryTakeBlock(out TrendBlock? block) => _pending.TryDequeue(out block);

    /// <summary>Stores a fitted block unless the trend was reset since the block was taken.</summary>
    public void AddPoint(TrendBlock block, TrendPoint point)
    {
        if (block.Generation != Generation) return;
        int at = _points.Count;
        while (at > 0 && _points[at - 1].Index > point.Index) at--;   // keep block order
        _points.Insert(at, point);
        if (_points.Count > maxPoints)
        {
            _points.RemoveAt(0);
            TrimmedPoints++;
        }
        Version++;
    }

    public void Reset()
    {
        _pending.Clear();
        _points.Clear();
        _block = new List<double>(BunchesPerPoint);
        _nextIndex = 0;
        DroppedBlocks = TrimmedPoints = 0;
        Generation++;
        Version++;
    }
}
