using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Daq.Digitizers.Timing;

/// <summary>
/// A clock that can also be waited on. Digitizers pace themselves on it (the simulator's bunch clock, the
/// HS4 driver's polling and watchdog), so tests and benchmarks can run the same code accelerated or with no
/// waiting at all (<see cref="VirtualClock"/>), reproducibly.
/// </summary>
public interface IDaqClock : IClock
{
    /// <summary>Blocks until <see cref="IClock.UtcNow"/> has reached <paramref name="deadline"/>.</summary>
    /// <returns>false when <paramref name="cancellation"/> fired first.</returns>
    bool WaitUntil(DateTimeOffset deadline, CancellationToken cancellation);
}
