using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Facility;

/// <summary>
/// Facility time running <c>scale</c> times faster than its base clock from the moment of construction, so a
/// simulated ramp or drift of minutes can be watched in seconds.
/// </summary>
public sealed class AcceleratedClock : IClock
{
    private readonly IClock baseClock;
    private readonly DateTimeOffset origin;

    public AcceleratedClock(IClock baseClock, double scale)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "the time scale must be a finite number > 0");
        this.baseClock = baseClock;
        Scale = scale;
        origin = baseClock.UtcNow;
    }

    public double Scale { get; }

    public DateTimeOffset UtcNow => origin + (baseClock.UtcNow - origin) * Scale;
}
