using System.Globalization;

namespace BeamDAQ.Control.Facility.Configuration;

/// <summary>
/// Collects every problem of a configuration file so one start-up attempt reports them all, each naming the
/// key, the value found and what is allowed.
/// </summary>
public sealed class ConfigErrors
{
    private readonly List<string> messages = [];

    public IReadOnlyList<string> Messages => messages;
    public bool Any => messages.Count > 0;

    public void Add(string key, object? value, string allowed) =>
        messages.Add($"{key} = {Format(value)}: expected {allowed}");

    public void Range(string key, double value, double min, double max, string unit = "")
    {
        if (double.IsNaN(value) || value < min || value > max)
            Add(key, value, $"a value in [{Format(min)}, {Format(max)}]{(unit.Length > 0 ? " " + unit : "")}");
    }

    /// <summary>A strictly positive quantity (rates, widths, resistances) with an upper sanity bound.</summary>
    public void Positive(string key, double value, double max, string unit = "")
    {
        if (double.IsNaN(value) || value <= 0 || value > max)
            Add(key, value, $"a value in (0, {Format(max)}]{(unit.Length > 0 ? " " + unit : "")}");
    }

    private static string Format(object? value) => value switch
    {
        null => "(missing)",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        string s => "'" + s + "'",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
