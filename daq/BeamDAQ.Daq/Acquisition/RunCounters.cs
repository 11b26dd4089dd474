using System.Diagnostics;

namespace BeamDAQ.Daq.Acquisition;

/// <summary>
/// The running figures of one run, written by the acquisition thread and read at any time by the heartbeat and
/// run control: events, missed triggers, device losses and state, and the time not armed (dead time, measured on
/// the host's monotonic clock).
/// </summary>
internal sealed class RunCounters
{
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private long _events, _missed, _deadTicks, _losses;
    // Stopwatch timestamp since which the digitizer is not armed; 0 while it is armed.
    private long _notArmedSince;
    private int _deviceState = (int)DeviceState.Ok;

    public RunCounters() => _notArmedSince = _startTimestamp;

    public ulong Events => (ulong)Interlocked.Read(ref _events);
    public ulong Missed => (ulong)Interlocked.Read(ref _missed);
    public int DeviceLosses => (int)Interlocked.Read(ref _losses);
    public DeviceState DeviceState => (DeviceState)Volatile.Read(ref _deviceState);

    public void EventRecorded() => Interlocked.Increment(ref _events);
    public void AddMissed(ulong triggers) => Interlocked.Add(ref _missed, (long)triggers);
    public void DeviceLost() => Interlocked.Increment(ref _losses);
    public void SetDeviceState(DeviceState state) => Volatile.Write(ref _deviceState, (int)state);

    /// <summary>The digitizer was armed at <paramref name="timestamp"/>: the dead stretch since it stopped being armed ends.</summary>
    public void Armed(long timestamp)
    {
        long since = Interlocked.Exchange(ref _notArmedSince, 0);
        if (since != 0 && timestamp > since) Interlocked.Add(ref _deadTicks, timestamp - since);
    }

    /// <summary>The digitizer stopped being armed (a block is ready, or the device is gone).</summary>
    public void NotArmed(long timestamp) => Interlocked.CompareExchange(ref _notArmedSince, timestamp, 0);

    /// <summary>Time not armed over wall time since the run started, 0–1, including a stretch still going on.</summary>
    public double DeadTimeFraction()
    {
        long now = Stopwatch.GetTimestamp();
        long wall = now - _startTimestamp;
        if (wall <= 0) return 0;
        long dead = Interlocked.Read(ref _deadTicks);
        long since = Interlocked.Read(ref _notArmedSince);
        if (since != 0 && now > since) dead += now - since;
        return Math.Clamp((double)dead / wall, 0, 1);
    }

    public TimeSpan WallTime => Stopwatch.GetElapsedTime(_startTimestamp);
}
