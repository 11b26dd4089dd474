using BeamDAQ.Control.Catalog;

namespace BeamDAQ.Control.RunControl.Supervision;

/// <summary>
/// Turns the heartbeat's <c>device_state</c> into device-loss intervals of a run (DESIGN §7): the digitizer leaving
/// ("ok" → anything else) opens an interval, coming back closes it with the triggers missed meanwhile; a run that
/// ends with the device still gone leaves the interval open-ended.
/// </summary>
/// <remarks>Not thread-safe: the run controller serialises every call.</remarks>
public sealed class DigitizerLossTracker
{
    public const string Device = "digitizer";
    public const string OkState = "ok";

    private long? _run;
    private DateTimeOffset? _lostSince;
    private ulong _missedAtLoss;

    /// <summary>Whether the device is gone right now.</summary>
    public bool IsLost => _lostSince is not null;

    public void BeginRun(long run)
    {
        _run = run;
        _lostSince = null;
    }

    /// <summary>Feeds one heartbeat; returns a closed interval when the device just came back.</summary>
    public DeviceLossInterval? Observe(long run, string deviceState, ulong missed, DateTimeOffset at)
    {
        if (_run != run) BeginRun(run);
        bool ok = string.Equals(deviceState, OkState, StringComparison.OrdinalIgnoreCase);
        if (!ok && _lostSince is null)
        {
            _lostSince = at;
            _missedAtLoss = missed;
            return null;
        }
        if (ok && _lostSince is { } since)
        {
            _lostSince = null;
            return new DeviceLossInterval(run, Device, since, at, (long)(missed - Math.Min(missed, _missedAtLoss)));
        }
        return null;
    }

    /// <summary>At the run's end: the interval still open (device never came back), if any.</summary>
    public DeviceLossInterval? EndRun(ulong missed)
    {
        var open = _run is { } run && _lostSince is { } since
            ? new DeviceLossInterval(run, Device, since, null, (long)(missed - Math.Min(missed, _missedAtLoss)))
            : null;
        _run = null;
        _lostSince = null;
        return open;
    }
}
