using System.Diagnostics;

namespace BeamDAQ.Daq.Digitizers.Timing;

/// <summary>
/// Time that runs <see cref="Speed"/> times faster than the wall clock, starting at <paramref name="start"/>:
/// a 5 Hz bunch clock at speed 10 delivers 50 bunches per wall-clock second with the same timing pattern.
/// </summary>
public sealed class ScaledClock : IDaqClock
{
    private readonly DateTimeOffset _start;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();

    public ScaledClock(double speed, DateTimeOffset start)
    {
        if (!(speed > 0) || double.IsInfinity(speed))
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "speed must be a finite number > 0");
        Speed = speed;
        _start = start;
    }

    public double Speed { get; }

    public DateTimeOffset UtcNow =>
        _start + TimeSpan.FromTicks((long)(Stopwatch.GetElapsedTime(_startTimestamp).Ticks * Speed));

    public bool WaitUntil(DateTimeOffset deadline, CancellationToken cancellation)
    {
        while (true)
        {
            if (cancellation.IsCancellationRequested) return false;
            var remaining = deadline - UtcNow;
            if (remaining <= TimeSpan.Zero) return true;
            var wall = TimeSpan.FromTicks(Math.Max(1, (long)(remaining.Ticks / Speed)));
            if (cancellation.WaitHandle.WaitOne(wall)) return false;
        }
    }
}
