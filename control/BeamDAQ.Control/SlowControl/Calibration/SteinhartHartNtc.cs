namespace BeamDAQ.Control.SlowControl.Calibration;

/// <summary>
/// Steinhart–Hart: 1/T = a + b·ln R + c·(ln R)³ (T in K, R in Ω). Three coefficients fit a thermistor to
/// about a millikelvin over 0–100 °C, where the two-parameter B form is off by up to a kelvin.
/// </summary>
public sealed class SteinhartHartNtc : INtcConversion
{
    public SteinhartHartNtc(double a, double b, double c)
    {
        if (!(b > 0) || c < 0 || !double.IsFinite(a))
            throw new ArgumentException($"Steinhart–Hart coefficients need b > 0 and c >= 0 (got a={a}, b={b}, c={c})");
        A = a;
        B = b;
        C = c;
    }

    public double A { get; }
    public double B { get; }
    public double C { get; }
    public string Name => "steinhart_hart";

    public double TemperatureC(double resistanceOhm)
    {
        if (!(resistanceOhm > 0))
            return double.NaN;
        double ln = Math.Log(resistanceOhm);
        return 1.0 / (A + B * ln + C * ln * ln * ln) - Kelvin.ZeroCelsius;
    }

    /// <summary>The inverse by Cardano's formula for the depressed cubic c·x³ + b·x + (a − 1/T) = 0.</summary>
    public double ResistanceOhm(double temperatureC)
    {
        double inverseT = 1.0 / (temperatureC + Kelvin.ZeroCelsius);
        if (C == 0)
            return Math.Exp((inverseT - A) / B);
        double y = (A - inverseT) / (2 * C);
        double x = Math.Sqrt(Math.Pow(B / (3 * C), 3) + y * y);
        return Math.Exp(Math.Cbrt(x - y) - Math.Cbrt(x + y));
    }

    /// <summary>The coefficients through three (temperature °C, resistance Ω) points of a data-sheet table.</summary>
    public static SteinhartHartNtc FromThreePoints((double C, double Ohm) p1, (double C, double Ohm) p2, (double C, double Ohm) p3)
    {
        double l1 = Math.Log(p1.Ohm), l2 = Math.Log(p2.Ohm), l3 = Math.Log(p3.Ohm);
        double y1 = 1 / (p1.C + Kelvin.ZeroCelsius), y2 = 1 / (p2.C + Kelvin.ZeroCelsius), y3 = 1 / (p3.C + Kelvin.ZeroCelsius);
        double g2 = (y2 - y1) / (l2 - l1);
        double g3 = (y3 - y1) / (l3 - l1);
        double c = (g3 - g2) / (l3 - l2) / (l1 + l2 + l3);
        double b = g2 - c * (l1 * l1 + l1 * l2 + l2 * l2);
        double a = y1 - (b + l1 * l1 * c) * l1;
        return new SteinhartHartNtc(a, b, c);
    }
}
