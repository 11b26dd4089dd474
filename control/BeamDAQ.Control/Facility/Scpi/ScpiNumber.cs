using System.Globalization;

namespace BeamDAQ.Control.Facility.Scpi;

/// <summary>SCPI numeric and boolean data: NR3 replies, decimal or exponent input, ON|OFF|1|0.</summary>
public static class ScpiNumber
{
    /// <summary>NR3 with seven significant digits: <c>1.186900E+01</c>.</summary>
    public static string Format(double value) => value.ToString("0.000000E+00", CultureInfo.InvariantCulture);

    public static bool TryParse(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    public static bool TryParseBoolean(string text, out bool value)
    {
        switch (text.ToUpperInvariant())
        {
            case "ON" or "1":
                value = true;
                return true;
            case "OFF" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    public static string FormatBoolean(bool value) => value ? "1" : "0";
}
