using System.Collections;
using BeamDAQ.Daq.Configuration.Schema;

namespace BeamDAQ.Daq.Configuration;

/// <summary>
/// Turns override maps (from run control's <c>configure</c>, or command-line options as dotted keys such as
/// <c>simulator.beam.lambda</c>) into configuration nodes and merges them over a file's: mappings merge key
/// by key, anything else replaces. Strings are read like unquoted YAML text, so "2.5" from a command line is a number.
/// </summary>
internal static class ConfigurationOverrides
{
    public static ConfigNode ToNode(IReadOnlyDictionary<string, object?> overrides, SourceLocation location)
    {
        var entries = new List<ConfigEntry>();
        foreach (var (key, value) in overrides)
        {
            var parts = key.Split('.');
            ConfigNode node = FromValue(value, location);
            for (int i = parts.Length - 1; i >= 1; i--)
                node = new ConfigMapping(location, [new ConfigEntry(parts[i], location, node)]);
            entries.Add(new ConfigEntry(parts[0], location, node));
        }
        return Merge(null, new ConfigMapping(location, entries))!;
    }

    private static ConfigNode FromValue(object? value, SourceLocation location) => value switch
    {
        null => new ConfigScalar(location, null, false, null, Typed: true),
        string s => new ConfigScalar(location, s, Quoted: false),
        IReadOnlyDictionary<string, object?> map => new ConfigMapping(location,
            map.Select(kv => new ConfigEntry(kv.Key, location, FromValue(kv.Value, location))).ToList()),
        IDictionary<string, object?> map => new ConfigMapping(location,
            map.Select(kv => new ConfigEntry(kv.Key, location, FromValue(kv.Value, location))).ToList()),
        IEnumerable items and not string => new ConfigSequence(location, items.Cast<object?>().Select(v => FromValue(v, location)).ToList()),
        _ => new ConfigScalar(location, null, false, value, Typed: true),
    };

    /// <summary>Overlays <paramref name="top"/> on <paramref name="bottom"/>.</summary>
    public static ConfigNode? Merge(ConfigNode? bottom, ConfigNode? top)
    {
        if (top is null) return bottom;
        if (top is not ConfigMapping topMap) return top;
        if (bottom is not ConfigMapping bottomMap)
            bottomMap = new ConfigMapping(top.Location, []);
        var entries = bottomMap.Entries.ToList();
        foreach (var entry in topMap.Entries)
        {
            int index = entries.FindIndex(e => e.Key == entry.Key);
            if (index < 0) entries.Add(entry with { Value = Merge(null, entry.Value)! });
            else entries[index] = entry with { Value = Merge(entries[index].Value, entry.Value)! };
        }
        return new ConfigMapping(bottomMap.Location, entries);
    }
}
