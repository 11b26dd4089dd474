namespace BeamDAQ.Daq.Digitizers.Timing;

/// <summary>
/// Simulated time that only moves when someone waits (or calls <see cref="Advance"/>): waiting returns at
/// once with the clock set to the deadline. This is the "as fast as possible" mode (<c>--rate max</c>) and
/// the clock of deterministic tests — a 5 Hz bunch clock still spaces bunches 200 ms apart in this time.
/// Thread-safe: time never goes backwards.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : IDaqClock
{
    private long _ticks = start.UtcTicks;

    public VirtualClock() : this(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)) { }

    public DateTimeOffset UtcNow => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public bool WaitUntil(DateTimeOffset deadline, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested) return false;
        MoveTo(deadline.UtcTicks);
        return true;
    }

    /// <summary>Moves time forward by <paramref name="delta"/> (negative values are ignored).</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta > TimeSpan.Zero) MoveTo(UtcNow.UtcTicks + delta.Ticks);
    }

    private void MoveTo(long ticks)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _ticks);
            if (ticks <= current) return;
        } while (Interlocked.CompareExchange(ref _ticks, ticks, current) != current);
    }
}
