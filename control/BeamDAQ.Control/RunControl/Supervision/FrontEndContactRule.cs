using BeamDAQ.Control.Alarms;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.RunControl.Supervision;

/// <summary>How well run control hears the front end.</summary>
public enum FrontEndContact
{
    /// <summary>Heartbeats arrive.</summary>
    Ok,
    /// <summary>No heartbeat for the time-out, but the daq answers on its command socket (the PUB path is broken).</summary>
    HeartbeatMissing,
    /// <summary>No heartbeat and no reply: the front end is gone.</summary>
    Lost,
}

/// <summary>Run control's verdict on the front end, for the alarm engine.</summary>
public sealed record FrontEndContactInput(DateTimeOffset Now, FrontEndContact Contact, string Message) : AlarmInput(Now);

/// <summary>
/// Alarms for a front end that went quiet: <c>daq-heartbeat-missing</c> (warning) while it still answers commands,
/// <c>daq-lost</c> (critical) when it does not; each clears when heartbeats come back.
/// </summary>
public sealed class FrontEndContactRule : IAlarmRule
{
    public const string HeartbeatMissingCode = "daq-heartbeat-missing";
    public const string LostCode = "daq-lost";
    public const string Source = "run-control";

    public void Evaluate(AlarmInput input, ICollection<AlarmCondition> verdicts)
    {
        if (input is not FrontEndContactInput contact)
            return;
        verdicts.Add(new AlarmCondition(HeartbeatMissingCode, Source, contact.Contact == FrontEndContact.HeartbeatMissing,
            AlarmSeverity.Warning, contact.Message));
        verdicts.Add(new AlarmCondition(LostCode, Source, contact.Contact == FrontEndContact.Lost,
            AlarmSeverity.Critical, contact.Message));
    }
}
