using BeamDAQ.Control.SlowControl.Clients;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Alarms.Rules;

/// <summary>The detector HV supply tripped (leakage above its limit, output switched off); clears after the trip is reset.</summary>
public sealed class HvTripRule(string hvDevice = "hv") : IAlarmRule
{
    public void Evaluate(AlarmInput input, ICollection<AlarmCondition> verdicts)
    {
        if (input is not ReadingInput { Reading: var r } || r.Device != hvDevice || r.Quantity != HvSupplyClient.TrippedQuantity)
            return;
        bool tripped = r.Value >= 0.5;
        verdicts.Add(new AlarmCondition(AlarmCodes.HvTrip, hvDevice, tripped, AlarmSeverity.Critical,
            tripped ? "detector HV tripped: leakage current above the trip limit, output switched off" : "HV trip reset"));
    }
}
