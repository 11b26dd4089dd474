using System.Collections.Concurrent;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.SlowControl;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;
using Serilog;
using Reading = BeamDAQ.Control.SlowControl.SlowControlReading;

namespace BeamDAQ.Control.RunControl.Recorders;

/// <summary>
/// Slow-control readings from the poller: every reading is published on <c>sc</c>; during a run every reading is
/// stored with the run's number (its temperature series and so on), between runs at most one per quantity every
/// <c>idleStoreInterval</c> so the catalog does not grow by a hundred rows a second while nothing is recorded.
/// Readings are queued and written in one transaction per <see cref="Flush"/>; a failed write is counted and
/// logged with how many readings it lost, never silently dropped.
/// </summary>
public sealed class SlowControlRecorder : ISlowControlObserver
{
    private readonly IRunCatalog _catalog;
    private readonly EventPublisher? _publisher;
    private readonly Func<long?> _currentRun;
    private readonly TimeSpan? _idleStoreInterval;
    private readonly ILogger _log;
    private readonly ConcurrentQueue<Catalog.SlowControlReading> _pending = new();
    private readonly Dictionary<(string, string), DateTimeOffset> _lastIdleStore = [];
    private readonly Lock _flushGate = new();
    private long _published, _stored, _lost, _skippedIdle;

    /// <param name="idleStoreInterval">Between runs, store a quantity at most this often; zero stores all, null none.</param>
    public SlowControlRecorder(IRunCatalog catalog, EventPublisher? publisher, Func<long?> currentRun, TimeSpan? idleStoreInterval, ILogger log)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _publisher = publisher;
        _currentRun = currentRun ?? throw new ArgumentNullException(nameof(currentRun));
        _idleStoreInterval = idleStoreInterval;
        _log = log;
    }

    public long Published => Interlocked.Read(ref _published);
    public long Stored => Interlocked.Read(ref _stored);
    /// <summary>Readings that a failed catalog write could not store.</summary>
    public long Lost => Interlocked.Read(ref _lost);
    /// <summary>Readings between runs not stored because the same quantity was stored recently.</summary>
    public long SkippedBetweenRuns => Interlocked.Read(ref _skippedIdle);
    public int Pending => _pending.Count;

    public void OnReading(Reading reading)
    {
        if (_publisher is not null && _publisher.Publish(Topics.SlowControl, reading.ToMessage().ToMap()))
            Interlocked.Increment(ref _published);
        long? run = _currentRun();
        if (run is null && !DueBetweenRuns(reading))
        {
            Interlocked.Increment(ref _skippedIdle);
            return;
        }
        _pending.Enqueue(ToRecord(reading, run));
    }

    public void OnDeviceState(DeviceStateChange change)
    {
        // Lost and back are alarms (the alarm engine subscribes to the same poller); nothing to store here.
    }

    /// <summary>Queues readings taken outside the poller (the facility read at a run's start) for <paramref name="run"/>.</summary>
    public void Add(IEnumerable<Reading> readings, long run)
    {
        foreach (var reading in readings)
            _pending.Enqueue(ToRecord(reading, run));
    }

    /// <summary>Writes everything queued in one transaction; returns how many readings were stored.</summary>
    public int Flush()
    {
        lock (_flushGate)
        {
            var batch = new List<Catalog.SlowControlReading>();
            while (_pending.TryDequeue(out var reading))
                batch.Add(reading);
            if (batch.Count == 0)
                return 0;
            try
            {
                int stored = _catalog.AddSlowControl(batch);
                Interlocked.Add(ref _stored, stored);
                return stored;
            }
            catch (Exception e) when (e is CatalogException or ArgumentException or InvalidOperationException or System.Data.Common.DbException)
            {
                long lost = Interlocked.Add(ref _lost, batch.Count);
                _log.Error("slow control: {Count} readings not stored ({Lost} lost so far): {Error}", batch.Count, lost, e.Message);
                return 0;
            }
        }
    }

    private bool DueBetweenRuns(Reading reading)
    {
        if (_idleStoreInterval is not { } interval)
            return false;
        if (interval <= TimeSpan.Zero)
            return true;
        lock (_lastIdleStore)
        {
            var key = (reading.Device, reading.Quantity);
            if (_lastIdleStore.TryGetValue(key, out var last) && reading.Time - last < interval)
                return false;
            _lastIdleStore[key] = reading.Time;
            return true;
        }
    }

    private static Catalog.SlowControlReading ToRecord(Reading reading, long? run) =>
        new(run, reading.Time, reading.Device, reading.Quantity, reading.Value, reading.Unit);
}
