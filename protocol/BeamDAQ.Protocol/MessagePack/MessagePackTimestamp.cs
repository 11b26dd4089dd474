namespace BeamDAQ.Protocol.MessagePack;

/// <summary>Conversion between <see cref="DateTimeOffset"/> and the (seconds, nanoseconds) pair of the timestamp extension.</summary>
internal static class MessagePackTimestamp
{
    private const long TicksPerSecond = TimeSpan.TicksPerSecond;
    private const uint NanosecondsPerTick = 100;

    private static readonly long MinSeconds = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerSecond;
    private static readonly long MaxSeconds = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TicksPerSecond;

    /// <summary>Seconds since the Unix epoch (floored) and the non-negative nanoseconds within that second.</summary>
    public static (long Seconds, uint Nanoseconds) ToUnix(DateTimeOffset value)
    {
        long ticks = value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TicksPerSecond, out long remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TicksPerSecond;
        }
        return (seconds, (uint)remainder * NanosecondsPerTick);
    }

    /// <summary>
    /// The instant as a UTC <see cref="DateTimeOffset"/>; nanoseconds below its 100 ns tick are truncated.
    /// False when the seconds lie outside the years 1–9999 that <see cref="DateTimeOffset"/> can hold.
    /// </summary>
    public static bool TryFromUnix(long seconds, uint nanoseconds, out DateTimeOffset value)
    {
        if (seconds < MinSeconds || seconds > MaxSeconds)
        {
            value = default;
            return false;
        }
        long ticks = DateTimeOffset.UnixEpoch.UtcTicks + seconds * TicksPerSecond + nanoseconds / NanosecondsPerTick;
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            value = default;
            return false;
        }
        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}
