namespace BeamDAQ.Protocol.Hosting;

/// <summary>
/// Wall-clock time as a dependency, so the simulator's bunch clock and every time-dependent piece of logic
/// can run accelerated and reproducibly in tests.
/// </summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }

    /// <summary>Nanoseconds since the Unix epoch (the wire's <c>t_ns</c>).</summary>
    long UnixNanoseconds => (UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
}

/// <summary>The host's real clock.</summary>
public sealed class SystemClock : IClock
{
    public static readonly SystemClock Instance = new();
    private SystemClock() { }
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
}
