using BeamDAQ.Daq.Digitizers.Timing;

namespace BeamDAQ.Daq.Tests.Digitizers;

public sealed class ClockTests
{
    [Fact]
    public void WhenWaitingOnAVirtualClockThenTimeJumpsToTheDeadlineAndNeverGoesBack()
    {
        var clock = new VirtualClock();
        var start = clock.UtcNow;
        Assert.True(clock.WaitUntil(start + TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Equal(start + TimeSpan.FromHours(1), clock.UtcNow);
        Assert.True(clock.WaitUntil(start, CancellationToken.None));
        Assert.Equal(start + TimeSpan.FromHours(1), clock.UtcNow);
        clock.Advance(TimeSpan.FromSeconds(-5));
        Assert.Equal(start + TimeSpan.FromHours(1), clock.UtcNow);
    }

    [Fact]
    public void WhenCancelledThenWaitingReturnsFalse()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var clock = new VirtualClock();
        Assert.False(clock.WaitUntil(clock.UtcNow + TimeSpan.FromSeconds(1), cts.Token));
        Assert.False(RealTimeClock.Instance.WaitUntil(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1), cts.Token));
        Assert.False(new ScaledClock(10, DateTimeOffset.UnixEpoch).WaitUntil(DateTimeOffset.MaxValue, cts.Token));
    }

    [Fact]
    public void WhenTimeIsScaledThenAnHourPassesInAFractionOfTheWallTime()
    {
        var clock = new ScaledClock(36_000, DateTimeOffset.UnixEpoch); // one simulated hour per 0.1 s
        var target = DateTimeOffset.UnixEpoch + TimeSpan.FromMinutes(6);
        var wall = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(clock.WaitUntil(target, CancellationToken.None));
        Assert.True(clock.UtcNow >= target);
        Assert.True(wall.Elapsed < TimeSpan.FromSeconds(5), $"took {wall.Elapsed}");
    }
}
