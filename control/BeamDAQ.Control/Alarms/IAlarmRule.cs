namespace BeamDAQ.Control.Alarms;

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
