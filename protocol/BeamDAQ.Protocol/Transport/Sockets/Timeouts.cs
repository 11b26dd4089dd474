namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// TimeSpan ⇄ libzmq milliseconds (-1 = infinite) in one place, and the monotonic deadline arithmetic used by
/// every call that waits.
/// </summary>
internal static class Timeouts
{
    internal static int ToMilliseconds(TimeSpan value, string name)
    {
        if (value == Timeout.InfiniteTimeSpan) return -1;
        if (value < TimeSpan.Zero || value.TotalMilliseconds > int.MaxValue)
            throw new ArgumentOutOfRangeException(name, value, "allowed: 0 to int.MaxValue ms, or Timeout.InfiniteTimeSpan");
        // Round up so that a sub-millisecond wait still waits rather than polling.
        return (int)Math.Ceiling(value.TotalMilliseconds);
    }

    internal static TimeSpan FromMilliseconds(int value) => value < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(value);

    /// <summary>A deadline in <see cref="System.Diagnostics.Stopwatch"/> ticks; long.MaxValue for infinite.</summary>
    internal static long Deadline(TimeSpan timeout, string name)
    {
        int ms = ToMilliseconds(timeout, name);
        return ms < 0 ? long.MaxValue : System.Diagnostics.Stopwatch.GetTimestamp() + ms * System.Diagnostics.Stopwatch.Frequency / 1000;
    }

    /// <summary>Milliseconds left until <paramref name="deadline"/> for zmq_poll: -1 if infinite, never below 0.</summary>
    internal static long Remaining(long deadline)
    {
        if (deadline == long.MaxValue) return -1;
        long ticks = deadline - System.Diagnostics.Stopwatch.GetTimestamp();
        return ticks <= 0 ? 0 : (ticks * 1000 + System.Diagnostics.Stopwatch.Frequency - 1) / System.Diagnostics.Stopwatch.Frequency;
    }
}
