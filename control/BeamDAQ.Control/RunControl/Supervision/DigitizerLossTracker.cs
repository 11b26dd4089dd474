using BeamDAQ.Control.Catalog;

namespace BeamDAQ.Control.RunControl.Supervision;

/// <summary>
/// Turns the heartbeat's <c>device_state</c> into device-loss intervals of a run (DESIGN §7): the digitizer leaving
/// ("ok" → anything else) opens an interval, coming back closes it with the triggers missed meanwhile; a run that
/// ends with the device still gone leaves the interval open-ended. Intervals are handed out at the run's end, where
/// the front end's own account (the <c>gaps</c> of <c>run.end</c>) takes precedence when there is one.
/// </summary>
/// <remarks>Not thread-safe: the run controller serialises every call.</remarks>
public sealed class DigitizerLossTracker
{
    public const string Device = "digitizer";
    public const string OkState = "ok";

    private readonly List<DeviceLossInterval> _closed = [];
    private long? _run;
    private DateTimeOffset? _lostSince;
    private ulong _missedAtLoss;

    /// <summary>Whether the device is gone right now.</summary>
    public bool IsLost => _lostSince is not null;

    public void BeginRun(long run)
    {
        _run = run;
        _lostSince = null;
        _closed.Clear();
    }

    /// <summary>Feeds one heartbeat of <paramref name="run"/>.</summary>
    public void Observe(long run, string deviceState, ulong missed, DateTimeOffset at)
    {
        if (_run != run) BeginRun(run);
        bool ok = string.Equals(deviceState, OkState, StringComparison.OrdinalIgnoreCase);
        if (!ok && _lostSince is null)
        {
            _lostSince = at;
            _missedAtLoss = missed;
        }
        else if (ok && _lostSince is { } since)
        {
            _lostSince = null;
            _closed.Add(new DeviceLossInterval(run, Device, since, at, (long)(missed - Math.Min(missed, _missedAtLoss))));
        }
    }

    /// <summary>At the run's end: every interval seen, the last one open-ended if the device never came back.</summary>
    public IReadOnlyList<DeviceLossInterval> EndRun(ulong missed)
    {
        var all = new List<DeviceLossInterval>(_closed);
        if (_run is { } run && _lostSince is { } since)
            all.Add(new DeviceLossInterval(run, Device, since, null, (long)(missed - Math.Min(missed, _missedAtLoss))));
        _run = null;
        _lostSince = null;
        _closed.Clear();
        return all;
    }
}
