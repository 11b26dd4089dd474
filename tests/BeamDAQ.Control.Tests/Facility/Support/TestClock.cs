using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Tests.Facility.Support;

/// <summary>Facility time moved by the test, so ramps, jaw moves, drifts and alarm windows are exact.</summary>
public sealed class TestClock(DateTimeOffset start) : IClock
{
    private readonly Lock gate = new();
    private DateTimeOffset now = start;

    public TestClock() : this(new DateTimeOffset(2024, 5, 6, 12, 0, 0, TimeSpan.Zero)) { }

    public DateTimeOffset UtcNow
    {
        get { lock (gate) return now; }
    }

    public DateTimeOffset Advance(TimeSpan by)
    {
        lock (gate)
            return now += by;
    }

    public DateTimeOffset AdvanceSeconds(double seconds) => Advance(TimeSpan.FromSeconds(seconds));
}
