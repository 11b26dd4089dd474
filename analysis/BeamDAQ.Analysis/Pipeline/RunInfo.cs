using System.Globalization;

namespace BeamDAQ.Analysis.Pipeline;

/// <summary>
/// A run as announced by its <c>run.begin</c> map (DESIGN §4): number, start time and the open-ended
/// <c>config</c>, <c>applied</c> and <c>meta</c> maps, reachable by dotted key paths such as
/// <c>meta.exit_aperture_x_mm</c>.
/// </summary>
public sealed class RunInfo
{
    public RunInfo(IReadOnlyDictionary<string, object?> map)
    {
        Map = map ?? throw new ArgumentNullException(nameof(map));
        Run = MapValues.TryGetUInt(map, "run", out ulong run) ? run : null;
        TimeNs = MapValues.TryGetDouble(map, "t_ns", out double t) ? (long)t : null;
        Software = map.TryGetValue("software", out var software) ? software as string : null;
    }

    public IReadOnlyDictionary<string, object?> Map { get; }

    /// <summary>Run number, or null when the map lacks a usable <c>run</c>.</summary>
    public ulong? Run { get; }
    public long? TimeNs { get; }
    public string? Software { get; }

    public IReadOnlyDictionary<string, object?> Meta => MapValues.SubMap(Map, "meta");
    public IReadOnlyDictionary<string, object?> Config => MapValues.SubMap(Map, "config");
    public IReadOnlyDictionary<string, object?> Applied => MapValues.SubMap(Map, "applied");

    /// <summary>The value at a dotted path (<c>meta.exit_aperture_x_mm</c>, <c>config.digitizer.sample_rate</c>).</summary>
    public bool TryGet(string keyPath, out object? value) => MapValues.TryGetPath(Map, keyPath, out value);

    /// <summary>The number at a dotted path; strings that parse as numbers count.</summary>
    public bool TryGetNumber(string keyPath, out double value)
    {
        value = double.NaN;
        return TryGet(keyPath, out var raw) && MapValues.TryConvertToDouble(raw, out value);
    }
}

/// <summary>A run's end as announced by its <c>run.end</c> map.</summary>
public sealed class RunEndInfo
{
    public RunEndInfo(IReadOnlyDictionary<string, object?> map)
    {
        Map = map ?? throw new ArgumentNullException(nameof(map));
        Run = MapValues.TryGetUInt(map, "run", out ulong run) ? run : null;
        Events = MapValues.TryGetUInt(map, "events", out ulong events) ? events : null;
        Missed = MapValues.TryGetUInt(map, "missed", out ulong missed) ? missed : null;
        Reason = map.TryGetValue("reason", out var reason) ? reason as string : null;
    }

    public IReadOnlyDictionary<string, object?> Map { get; }
    public ulong? Run { get; }
    /// <summary>Events the acquisition recorded, by its own count.</summary>
    public ulong? Events { get; }
    /// <summary>Triggers the acquisition missed, by its own count.</summary>
    public ulong? Missed { get; }
    public string? Reason { get; }
}

/// <summary>Lookups in the untyped maps <c>MessagePackValue</c> decodes (long, ulong, double, string, nested maps).</summary>
public static class MapValues
{
    public static IReadOnlyDictionary<string, object?> SubMap(IReadOnlyDictionary<string, object?> map, string key) =>
        map.TryGetValue(key, out var value) && value is IReadOnlyDictionary<string, object?> sub ? sub : Empty;

    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

    /// <summary>Follows a dotted path through nested maps; a key that itself contains dots is tried whole first.</summary>
    public static bool TryGetPath(IReadOnlyDictionary<string, object?> map, string keyPath, out object? value)
    {
        if (map.TryGetValue(keyPath, out value)) return true;
        int dot = keyPath.IndexOf('.');
        while (dot > 0)
        {
            string head = keyPath[..dot];
            if (map.TryGetValue(head, out var child) && child is IReadOnlyDictionary<string, object?> sub
                && TryGetPath(sub, keyPath[(dot + 1)..], out value))
                return true;
            dot = keyPath.IndexOf('.', dot + 1);
        }
        value = null;
        return false;
    }

    public static bool TryConvertToDouble(object? raw, out double value)
    {
        switch (raw)
        {
            case long l: value = l; return true;
            case ulong u: value = u; return true;
            case int i: value = i; return true;
            case double d: value = d; return true;
            case float f: value = f; return true;
            case string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed): value = parsed; return true;
            default: value = double.NaN; return false;
        }
    }

    public static bool TryGetDouble(IReadOnlyDictionary<string, object?> map, string key, out double value)
    {
        value = double.NaN;
        return map.TryGetValue(key, out var raw) && TryConvertToDouble(raw, out value);
    }

    public static bool TryGetUInt(IReadOnlyDictionary<string, object?> map, string key, out ulong value)
    {
        switch (map.TryGetValue(key, out var raw) ? raw : null)
        {
            case long l when l >= 0: value = (ulong)l; return true;
            case ulong u: value = u; return true;
            default: value = 0; return false;
        }
    }

    /// <summary>A value for a table cell: numbers in invariant culture, nested maps and lists abbreviated.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s => s,
        IReadOnlyDictionary<string, object?> m => $"{{{m.Count} keys}}",
        System.Collections.ICollection c => $"[{c.Count} items]",
        _ => value.ToString() ?? "",
    };
}
