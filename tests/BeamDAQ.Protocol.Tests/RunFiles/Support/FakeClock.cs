using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Protocol.Tests.RunFiles.Support;

/// <summary>A clock that only moves when the test says so (read from the writer's timer thread too).</summary>
public sealed class FakeClock(DateTimeOffset start) : IClock
{
    private long _ticks = start.UtcTicks;

    public FakeClock() : this(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero)) { }

    public DateTimeOffset UtcNow => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
