using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Tests.Catalog.Support;

/// <summary>A clock the test moves by hand, so stored times are known exactly.</summary>
public sealed class ManualClock(DateTimeOffset start) : IClock
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public DateTimeOffset UtcNow
    {
        get { lock (_gate) return _now; }
    }

    public DateTimeOffset Advance(TimeSpan by)
    {
        lock (_gate)
            return _now += by;
    }
}
