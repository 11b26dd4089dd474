using BeamDAQ.Control.SlowControl;

namespace BeamDAQ.Control.Alarms;

/// <summary>Something the alarm rules may react to, at a time.</summary>
public abstract record AlarmInput(DateTimeOffset Time);

public sealed record ReadingInput(SlowControlReading Reading) : AlarmInput(Reading.Time);

public sealed record DeviceStateInput(DeviceStateChange Change) : AlarmInput(Change.Time);

public sealed record HeartbeatInput(DaqHeartbeat Heartbeat) : AlarmInput(Heartbeat.Time);

/// <summary>Time passed without new data (lets 'nothing happened for N s' rules fire when nothing arrives at all).</summary>
public sealed record ClockTick(DateTimeOffset Now) : AlarmInput(Now);

/// <summary>
/// A rule's verdict on one (code, source): active or not, with severity and message. The engine turns a
/// change of verdict into a raise or a clear.
/// </summary>
public readonly record struct AlarmCondition(string Code, string Source, bool Active, BeamDAQ.Protocol.Events.AlarmSeverity Severity, string Message);

/// <summary>One alarm rule; may keep per-source state (windows, hysteresis). Called under the engine's lock.</summary>
public interface IAlarmRule
{
    /// <summary>Adds a verdict for every (code, source) this input decides; nothing when the input is not this rule's business.</summary>
    void Evaluate(AlarmInput input, ICollection<AlarmCondition> verdicts);
}
