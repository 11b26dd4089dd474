using BeamDAQ.Control.Facility.Scpi;

namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// SCPI command set of the beam port: BEAM:LAMBda? (mean electrons per bunch), BEAM:ENERgy? (selected
/// kinetic energy, MeV), BEAM:RATE? (bunch rate, Hz), BEAM ON|OFF / BEAM? (photo-injector on/off).
/// </summary>
public sealed class BeamMonitorScpi(SimulatedBeam beam) : ScpiInstrument("SIM-BEAM", "BM0001")
{
    private static readonly ScpiPattern Lambda = new("BEAM:LAMBda");
    private static readonly ScpiPattern Energy = new("BEAM:ENERgy");
    private static readonly ScpiPattern Rate = new("BEAM:RATE");
    private static readonly ScpiPattern State = new("BEAM:[STATe]");

    protected override ScpiOutcome Execute(ScpiCommand c)
    {
        if (c.Is(Lambda))
            return Query(c, () => beam.Lambda);
        if (c.Is(Energy))
            return Query(c, () => beam.SelectedEnergyMeV);
        if (c.Is(Rate))
            return Query(c, () => beam.BunchRateHz);
        if (c.Is(State))
            return c.IsQuery
                ? QueryBoolean(c, () => beam.On)
                : SetBoolean(c, on => { beam.On = on; return ScpiOutcome.Done; });
        return Undefined(c);
    }

    protected override void Reset() => beam.On = true;
}
