namespace BeamDAQ.Daq.Digitizers.Timing;

/// <summary>The host's wall clock; waiting really waits.</summary>
public sealed class RealTimeClock : IDaqClock
{
    public static readonly RealTimeClock Instance = new();
    private RealTimeClock() { }

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;

    public bool WaitUntil(DateTimeOffset deadline, CancellationToken cancellation)
    {
        while (true)
        {
            if (cancellation.IsCancellationRequested) return false;
            var remaining = deadline - UtcNow;
            if (remaining <= TimeSpan.Zero) return true;
            // WaitOne may return a little early on coarse timers: loop until the deadline has really passed.
            if (cancellation.WaitHandle.WaitOne(remaining)) return false;
        }
    }
}
