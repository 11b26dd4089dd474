namespace BeamDAQ.Control.SlowControl.Calibration;

/// <summary>
/// The B-parameter (β) form: R = R0·exp(B·(1/T − 1/T0)), T0 = 25 °C by default. Exact only at the two
/// temperatures B was measured between (e.g. B25/50); the simplest form a data sheet always gives.
/// </summary>
public sealed class BParameterNtc : INtcConversion
{
    public BParameterNtc(double r0Ohm, double betaK, double t0C = 25.0)
    {
        if (!(r0Ohm > 0) || !(betaK > 0))
            throw new ArgumentException($"the B-parameter form needs R0 > 0 and B > 0 (got R0={r0Ohm}, B={betaK})");
        R0Ohm = r0Ohm;
        BetaK = betaK;
        T0C = t0C;
    }

    public double R0Ohm { get; }
    public double BetaK { get; }
    public double T0C { get; }
    public string Name => "b_parameter";

    public double TemperatureC(double resistanceOhm)
    {
        if (!(resistanceOhm > 0))
            return double.NaN;
        return 1.0 / (1.0 / (T0C + Kelvin.ZeroCelsius) + Math.Log(resistanceOhm / R0Ohm) / BetaK) - Kelvin.ZeroCelsius;
    }

    public double ResistanceOhm(double temperatureC) =>
        R0Ohm * Math.Exp(BetaK * (1.0 / (temperatureC + Kelvin.ZeroCelsius) - 1.0 / (T0C + Kelvin.ZeroCelsius)));
}
