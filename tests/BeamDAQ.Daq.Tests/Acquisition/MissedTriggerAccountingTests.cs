using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Acquisition.Recovery;

namespace BeamDAQ.Daq.Tests.Acquisition;

/// <summary>Counting missed triggers: exactly from a trigger counter, estimated from the measured rate without one.</summary>
public sealed class MissedTriggerAccountingTests
{
    private const long Period = 200_000_000; // 5 Hz, in ns

    [Fact]
    public void WhenTheDeviceCountsTriggersThenEveryJumpIsMissedExactly()
    {
        var accounting = new MissedTriggerAccounting(5, 0);
        Assert.Equal(0ul, accounting.OnEvent(Period, 1, afterOutage: false, out _));
        Assert.Equal(0ul, accounting.OnEvent(2 * Period, 2, afterOutage: false, out _));
        Assert.Equal(7ul, accounting.OnEvent(10 * Period, 10, afterOutage: true, out var source));
        Assert.Equal(MissedTriggerSource.TriggerCounter, source);
    }

    [Fact]
    public void WhenTheDeviceHasNoCounterThenAnOutageIsEstimatedFromTheMeasuredPeriod()
    {
        // Triggers every 250 ms (4 Hz), not the nominal 5 Hz: the estimate must use what was measured.
        var accounting = new MissedTriggerAccounting(5, 0);
        long t = 0;
        for (int i = 0; i < 20; i++) Assert.Equal(0ul, accounting.OnEvent(t += 250_000_000, null, afterOutage: false, out _));
        Assert.Equal(0.25, accounting.PeriodSeconds, 6);
        Assert.Equal(11ul, accounting.OnEvent(t + 12 * 250_000_000L, null, afterOutage: true, out var source));
        Assert.Equal(MissedTriggerSource.EstimatedFromRate, source);
    }

    [Fact]
    public void WhenNoEventCameBeforeTheOutageThenTheNominalRateIsUsed()
    {
        var accounting = new MissedTriggerAccounting(5, 0);
        Assert.Equal(0.2, accounting.PeriodSeconds, 9);
        Assert.Equal(10ul, accounting.EstimateUntil(2_000_000_000)); // 2 s of 5 Hz
    }

    [Fact]
    public void WithoutACounterBetweenNormalEventsNothingIsCountedMissed()
    {
        var accounting = new MissedTriggerAccounting(5, 0);
        accounting.OnEvent(Period, null, false, out _);
        Assert.Equal(0ul, accounting.OnEvent(5 * Period, null, afterOutage: false, out _));
    }
}
