using System.Globalization;

namespace BeamDAQ.Control.SlowControl.Clients;

/// <summary>Numbers as the clients write them into commands: invariant, round-trippable.</summary>
internal static class Wire
{
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
