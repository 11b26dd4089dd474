using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Alarms.Rules;

/// <summary>A device that stopped answering (no connection or no reply within its time-out); clears when it answers again.</summary>
public sealed class DeviceLostRule : IAlarmRule
{
    public void Evaluate(AlarmInput input, ICollection<AlarmCondition> verdicts)
    {
        if (input is not DeviceStateInput { Change: var c })
            return;
        verdicts.Add(new AlarmCondition(AlarmCodes.DeviceLost, c.Device, !c.Online, AlarmSeverity.Error,
            c.Online ? $"{c.Device} answering again" : $"{c.Device} lost: {c.Problem}"));
    }
}
