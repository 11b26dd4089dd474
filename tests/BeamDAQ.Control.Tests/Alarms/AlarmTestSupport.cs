using BeamDAQ.Control.Alarms;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.SlowControl;
using BeamDAQ.Control.Tests.Facility.Support;
using Serilog.Core;

namespace BeamDAQ.Control.Tests.Alarms;

/// <summary>An engine with the standard rules and a record of every transition.</summary>
internal sealed class AlarmBench
{
    public AlarmBench(AlarmsConfig? config = null)
    {
        Engine = new AlarmEngine(AlarmRuleSet.FromConfig(config ?? new AlarmsConfig()), Clock, Logger.None);
        Engine.Subscribe(Transitions.Add);
    }

    public TestClock Clock { get; } = new();
    public AlarmEngine Engine { get; }
    public List<AlarmTransition> Transitions { get; } = [];

    public IEnumerable<AlarmTransition> Raised(string code) =>
        Transitions.Where(t => t.Kind == AlarmTransitionKind.Raised && t.Alarm.Code == code);

    public IEnumerable<AlarmTransition> Cleared(string code) =>
        Transitions.Where(t => t.Kind == AlarmTransitionKind.Cleared && t.Alarm.Code == code);

    /// <summary>A temperature reading of a channel at the current test time.</summary>
    public void Temperature(string channel, double celsius) =>
        Engine.OnReading(new SlowControlReading("temperatures", "temperature." + channel, celsius, "degC", Clock.UtcNow));

    /// <summary>Feeds samples every <paramref name="stepSeconds"/>, advancing the clock before each.</summary>
    public void TemperatureSeries(string channel, double stepSeconds, params double[] values)
    {
        foreach (double value in values)
        {
            Clock.AdvanceSeconds(stepSeconds);
            Temperature(channel, value);
        }
    }
}
