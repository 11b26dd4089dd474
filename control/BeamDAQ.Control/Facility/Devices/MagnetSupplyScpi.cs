using BeamDAQ.Control.Facility.Scpi;

namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// SCPI command set of the magnet supply:
/// [SOURce]:CURRent &lt;A&gt; / ?, [SOURce]:VOLTage &lt;V&gt; / ? (voltage limit), [SOURce]:CURRent:SLEW?,
/// MEASure:CURRent?, MEASure:VOLTage?, OUTPut ON|OFF / ?, plus the common commands.
/// </summary>
public sealed class MagnetSupplyScpi(SimulatedMagnetSupply supply) : ScpiInstrument("SIM-MPS-5018", "MPS0001")
{
    private static readonly ScpiPattern SourceCurrent = new("[SOURce]:CURRent:[LEVel]");
    private static readonly ScpiPattern SourceVoltage = new("[SOURce]:VOLTage:[LEVel]");
    private static readonly ScpiPattern Slew = new("[SOURce]:CURRent:SLEW");
    private static readonly ScpiPattern MeasureCurrent = new("MEASure:CURRent:[DC]");
    private static readonly ScpiPattern MeasureVoltage = new("MEASure:VOLTage:[DC]");
    private static readonly ScpiPattern Output = new("OUTPut:[STATe]");

    protected override ScpiOutcome Execute(ScpiCommand c)
    {
        var config = supply.Config;
        if (c.Is(MeasureCurrent))
            return Query(c, () => supply.MeasuredCurrentA);
        if (c.Is(MeasureVoltage))
            return Query(c, () => supply.MeasuredVoltageV);
        if (c.Is(Slew))
            return Query(c, () => config.RampRateAPerS);
        if (c.Is(SourceCurrent))
            return c.IsQuery
                ? Query(c, () => supply.SetPointA)
                : SetNumber(c, "current", "A", 0, config.MaxCurrentA, v => { supply.SetCurrent(v); return ScpiOutcome.Done; });
        if (c.Is(SourceVoltage))
            return c.IsQuery
                ? Query(c, () => supply.VoltageLimitV)
                : SetNumber(c, "voltage", "V", 0, config.MaxVoltageV, v => { supply.SetVoltageLimit(v); return ScpiOutcome.Done; });
        if (c.Is(Output))
            return c.IsQuery
                ? QueryBoolean(c, () => supply.OutputOn)
                : SetBoolean(c, on => { supply.SetOutput(on); return ScpiOutcome.Done; });
        return Undefined(c);
    }

    protected override void Reset() => supply.Reset();
}
