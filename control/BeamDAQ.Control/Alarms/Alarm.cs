using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Alarms;

/// <summary>An active alarm: what (code), where (source), how bad, why, and since when.</summary>
public sealed record Alarm(string Code, string Source, AlarmSeverity Severity, string Message, DateTimeOffset RaisedAt);

public enum AlarmTransitionKind
{
    Raised,
    Cleared,
}

/// <summary>
/// An alarm being raised or cleared — each happens once per episode, never per sample. <see cref="Message"/>
/// is the raise reason, or for a clear the value that ended it.
/// </summary>
public sealed record AlarmTransition(AlarmTransitionKind Kind, Alarm Alarm, DateTimeOffset Time, string Message)
{
    /// <summary>
    /// The <c>alarm</c> topic's map. The wire has no clear flag, so the extra key <c>state</c> says
    /// <c>raised</c> or <c>cleared</c> (extra keys are allowed by the protocol).
    /// </summary>
    public AlarmMessage ToMessage() => new()
    {
        TimeNs = (Time - DateTimeOffset.UnixEpoch).Ticks * 100,
        Source = Alarm.Source,
        Severity = Kind == AlarmTransitionKind.Raised ? Alarm.Severity : AlarmSeverity.Info,
        Code = Alarm.Code,
        Message = Message,
        Extras = new Dictionary<string, object?> { ["state"] = Kind == AlarmTransitionKind.Raised ? "raised" : "cleared" },
    };

    public override string ToString() => $"{Kind} {Alarm.Code} [{Alarm.Source}] {Alarm.Severity}: {Message}";
}

/// <summary>The stable machine-readable alarm codes.</summary>
public static class AlarmCodes
{
    public const string TemperatureOutOfBand = "temperature-out-of-band";
    public const string TemperatureRisingFast = "temperature-rising-fast";
    public const string TemperatureFallingFast = "temperature-falling-fast";
    public const string NoTrigger = "no-trigger";
    public const string DeviceLost = "device-lost";
    public const string HvTrip = "hv-trip";
}
