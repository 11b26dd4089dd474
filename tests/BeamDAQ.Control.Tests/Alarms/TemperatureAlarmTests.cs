using BeamDAQ.Control.Alarms;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Tests.Alarms;

public class TemperatureAlarmTests
{
    [Fact]
    public void WhenATemperatureLeavesItsBandThenTheAlarmIsRaisedOnceAndClearedOnceBackInsideBeyondHysteresis()
    {
        var bench = new AlarmBench();
        // The diamond's band is [15, 30] °C with 0.5 K hysteresis.
        bench.TemperatureSeries("diamond", 1, 29.0, 30.4, 31.0, 30.2, 29.8, 29.6, 29.4, 29.0);

        var raised = Assert.Single(bench.Raised(AlarmCodes.TemperatureOutOfBand));
        Assert.Equal("temperatures/diamond", raised.Alarm.Source);
        Assert.Equal(AlarmSeverity.Warning, raised.Alarm.Severity);
        Assert.Equal("diamond temperature 30.4 °C above 30.0 °C", raised.Message);
        var cleared = Assert.Single(bench.Cleared(AlarmCodes.TemperatureOutOfBand));
        Assert.Equal(raised.Time + TimeSpan.FromSeconds(5), cleared.Time); // 29.8 and 29.6 are inside but within the hysteresis
        Assert.Empty(bench.Engine.Active);
    }

    [Fact]
    public void WhenAChannelHasNoOwnBandThenTheDefaultBandApplies()
    {
        var bench = new AlarmBench();
        bench.TemperatureSeries("hall", 1, 35.0, 41.0, 9.0);
        var raised = Assert.Single(bench.Raised(AlarmCodes.TemperatureOutOfBand));
        Assert.Equal("hall temperature 41.0 °C above 40.0 °C", raised.Message);
        Assert.Contains(bench.Engine.Active, a => a.Code == AlarmCodes.TemperatureOutOfBand); // 9 °C: still out, now below
    }

    [Fact]
    public void WhenASensorReadsNaNThenItCountsAsOutOfBand()
    {
        var bench = new AlarmBench();
        bench.TemperatureSeries("hall", 1, double.NaN);
        Assert.Equal("hall temperature unreadable (sensor open or shorted)", bench.Raised(AlarmCodes.TemperatureOutOfBand).Single().Message);
    }

    [Fact]
    public void WhenTemperatureDropsMoreThan1KWithin2SecondsThenFallingFastIsRaisedOnceAndClearedOnce()
    {
        var bench = new AlarmBench();
        bench.TemperatureSeries("magnet_coil", 0.5, 27.0, 27.0, 27.0, 27.0);
        bench.TemperatureSeries("magnet_coil", 0.5, 25.5, 25.5, 25.5, 25.5, 25.5, 25.5, 25.5);

        var raised = Assert.Single(bench.Raised(AlarmCodes.TemperatureFallingFast));
        Assert.Equal("temperatures/magnet_coil", raised.Alarm.Source);
        Assert.Equal("magnet_coil temperature fell by 1.5 K within 2 s (limit 1.0 K), now 25.5 °C", raised.Message);
        var cleared = Assert.Single(bench.Cleared(AlarmCodes.TemperatureFallingFast));
        // The last 27 °C sample (0.5 s before the raise) leaves the 2 s window 2.5 s after it was taken.
        Assert.Equal(raised.Time + TimeSpan.FromSeconds(2), cleared.Time);
        Assert.Empty(bench.Raised(AlarmCodes.TemperatureRisingFast));
        Assert.Empty(bench.Raised(AlarmCodes.TemperatureOutOfBand));
    }

    [Fact]
    public void WhenTemperatureRisesFastThenRisingFastFiresAndFallingDoesNot()
    {
        var bench = new AlarmBench();
        bench.TemperatureSeries("hall", 1, 21.0, 21.6, 22.2, 22.8, 23.4, 23.4, 23.4, 23.4);
        var raised = Assert.Single(bench.Raised(AlarmCodes.TemperatureRisingFast));
        Assert.Equal(bench.Transitions[0].Time, raised.Time);
        Assert.Single(bench.Cleared(AlarmCodes.TemperatureRisingFast));
        Assert.Empty(bench.Raised(AlarmCodes.TemperatureFallingFast));
    }

    [Fact]
    public void WhenTemperatureDriftsSlowlyOrChangesExactlyAtTheLimitThenNoRateAlarmFires()
    {
        var bench = new AlarmBench();
        double[] slow = Enumerable.Range(0, 60).Select(i => 22.0 - 0.1 * i).ToArray(); // 6 K in a minute, 0.2 K per 2 s
        bench.TemperatureSeries("hall", 1, slow);
        bench.TemperatureSeries("diamond", 1, 22.0, 21.5, 21.0, 21.0); // exactly 1 K within 2 s: not more than 1 K
        Assert.Empty(bench.Transitions);
    }

    [Fact]
    public void WhenTheWindowIsConfiguredThenTheRateRuleUsesIt()
    {
        var bench = new AlarmBench(new AlarmsConfig { RateLimitK = 0.5, RateWindowS = 10 });
        bench.TemperatureSeries("hall", 2, 22.0, 21.9, 21.8, 21.7, 21.6, 21.4);
        Assert.Single(bench.Raised(AlarmCodes.TemperatureFallingFast));
    }

    [Fact]
    public void WhenAReadingIsNotATemperatureThenTemperatureRulesIgnoreIt()
    {
        var bench = new AlarmBench();
        bench.Engine.OnReading(new("magnet", "current", 99, "A", bench.Clock.UtcNow));
        bench.Engine.OnReading(new("temperatures", "resistance.diamond", 1e9, "ohm", bench.Clock.UtcNow));
        Assert.Empty(bench.Transitions);
    }
}
