using BeamDAQ.Control.Facility.Scpi;

namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// SCPI command set of the detector HV supply: [SOURce]:VOLTage &lt;V&gt; / ?, MEASure:VOLTage?,
/// MEASure:CURRent? (leakage), OUTPut ON|OFF / ?, CURRent:LIMit &lt;A&gt; / ? (trip limit), TRIP? and
/// TRIP:RESet, plus SIMulation:LEAKage &lt;A&gt; to inject a leakage fault over the wire.
/// </summary>
public sealed class HvSupplyScpi(SimulatedHvSupply supply) : ScpiInstrument("SIM-HV-1000", "HV0001")
{
    private static readonly ScpiPattern SourceVoltage = new("[SOURce]:VOLTage:[LEVel]");
    private static readonly ScpiPattern MeasureVoltage = new("MEASure:VOLTage:[DC]");
    private static readonly ScpiPattern MeasureCurrent = new("MEASure:CURRent:[DC]");
    private static readonly ScpiPattern Output = new("OUTPut:[STATe]");
    private static readonly ScpiPattern CurrentLimit = new("[SOURce]:CURRent:LIMit");
    private static readonly ScpiPattern Trip = new("TRIP");
    private static readonly ScpiPattern TripReset = new("TRIP:RESet");
    private static readonly ScpiPattern SimulateLeakage = new("SIMulation:LEAKage");

    protected override ScpiOutcome Execute(ScpiCommand c)
    {
        var config = supply.Config;
        if (c.Is(MeasureVoltage))
            return Query(c, () => supply.MeasuredVoltageV);
        if (c.Is(MeasureCurrent))
            return Query(c, () => supply.LeakageCurrentA);
        if (c.Is(TripReset))
            return Command(c, supply.ResetTrip);
        if (c.Is(Trip))
            return QueryBoolean(c, () => supply.Tripped);
        if (c.Is(SourceVoltage))
            return c.IsQuery
                ? Query(c, () => supply.SetPointV)
                : SetNumber(c, "voltage", "V", -config.MaxVoltageV, config.MaxVoltageV, v => { supply.SetVoltage(v); return ScpiOutcome.Done; });
        if (c.Is(CurrentLimit))
            return c.IsQuery
                ? Query(c, () => supply.TripLimitA)
                : SetNumber(c, "trip limit", "A", 1e-12, config.MaxTripCurrentA, v => { supply.SetTripLimit(v); return ScpiOutcome.Done; });
        if (c.Is(Output))
            return c.IsQuery
                ? QueryBoolean(c, () => supply.OutputOn)
                : SetBoolean(c, on => supply.TrySetOutput(on)
                    ? ScpiOutcome.Done
                    : ScpiOutcome.Error(ScpiError.SettingsConflict, "supply tripped; send TRIP:RES first"));
        if (c.Is(SimulateLeakage) && !c.IsQuery)
            return SetNumber(c, "injected leakage", "A", 0, 1.0, v => { supply.InjectLeakage(v); return ScpiOutcome.Done; });
        return Undefined(c);
    }

    protected override void Reset() => supply.Reset();
}
