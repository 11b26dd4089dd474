using System.Globalization;

namespace BeamDAQ.Control.RunControl.Server;

/// <summary>
/// Typed access to an untyped MessagePack map (a request or a reply) with errors that name the message, the key, the
/// value found and what is allowed. MessagePack integers arrive as long (or ulong), floats as double.
/// </summary>
public readonly struct RequestFields(string what, IReadOnlyDictionary<string, object?> map)
{
    public IReadOnlyDictionary<string, object?> Map => map;

    public bool Has(string key) => map.TryGetValue(key, out var value) && value is not null;

    public string? OptionalString(string key) => map.GetValueOrDefault(key) switch
    {
        null => null,
        string s => s,
        var other => throw Wrong(key, other, "a string"),
    };

    public long? OptionalInteger(string key) => map.GetValueOrDefault(key) switch
    {
        null => null,
        long l => l,
        ulong u when u <= long.MaxValue => (long)u,
        var other => throw Wrong(key, other, "an integer"),
    };

    public double? OptionalNumber(string key) => map.GetValueOrDefault(key) switch
    {
        null => null,
        double d => d,
        long l => l,
        ulong u => u,
        var other => throw Wrong(key, other, "a number"),
    };

    public bool? OptionalBoolean(string key) => map.GetValueOrDefault(key) switch
    {
        null => null,
        bool b => b,
        var other => throw Wrong(key, other, "true or false"),
    };

    public IReadOnlyDictionary<string, object?>? OptionalMap(string key) => map.GetValueOrDefault(key) switch
    {
        null => null,
        IReadOnlyDictionary<string, object?> m => m,
        var other => throw Wrong(key, other, "a map"),
    };

    public FormatException Wrong(string key, object? value, string allowed) =>
        new($"{what}: key '{key}' = {Show(value)}; expected {allowed}");

    public static string Show(object? value) => value switch
    {
        null => "nil",
        string s => $"\"{(s.Length > 80 ? s[..80] + "…" : s)}\" (string)",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture) + " (float)",
        long or ulong => Convert.ToString(value, CultureInfo.InvariantCulture) + " (integer)",
        byte[] bytes => $"{bytes.Length} bytes (bin)",
        System.Collections.IDictionary or IReadOnlyDictionary<string, object?> => "a map",
        System.Collections.IEnumerable => "an array",
        _ => value.GetType().Name,
    };
}
