using System.Collections;
using System.Globalization;

namespace BeamDAQ.Protocol.Events;

/// <summary>
/// Typed access to a decoded map for the <c>FromMap</c> of each message: one place that converts the untyped
/// values (long, ulong, double, string, maps) and words the error — topic, key, value, and what is allowed.
/// </summary>
internal readonly struct MapFields
{
    public static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

    private readonly string topic;
    private readonly IReadOnlyDictionary<string, object?> map;

    public MapFields(string topic, IReadOnlyDictionary<string, object?> map)
    {
        this.topic = topic;
        this.map = map;
        CheckVersion();
    }

    /// <summary>
    /// A map from the wire carries <c>v</c>; one written by a newer schema may mean something else by the same key,
    /// so it is refused, never read as this version. A map built in-process (<c>ToMap()</c>) has no <c>v</c>.
    /// </summary>
    private void CheckVersion()
    {
        if (!map.TryGetValue(MapMessage.VersionKey, out var v)) return;
        if (v is null || !TryInteger(v, out var version))
            throw Wrong(MapMessage.VersionKey, v, $"the schema version {SchemaVersion.Current} (an integer)");
        if (version != SchemaVersion.Current)
            throw new FormatException($"{topic} map: schema version v={version} is not supported (this reader knows v={SchemaVersion.Current})");
    }

    public ulong UInt64(string key) => (ulong)Integer(key, 0, ulong.MaxValue, "an unsigned integer");

    public uint UInt32(string key) => (uint)Integer(key, 0, uint.MaxValue, $"an unsigned integer 0–{uint.MaxValue}");

    public long Int64(string key) => (long)Integer(key, long.MinValue, long.MaxValue, "a 64-bit integer");

    public ulong? OptionalUInt64(string key) => IsAbsent(key) ? null : UInt64(key);

    public uint? OptionalUInt32(string key) => IsAbsent(key) ? null : UInt32(key);

    public long? OptionalInt64(string key) => IsAbsent(key) ? null : Int64(key);

    /// <summary>A float, or an integer (Python writes <c>0</c>, not <c>0.0</c>, for a whole number it holds as int).</summary>
    public double Double(string key) => Require(key) switch
    {
        double d => d,
        float f => f,
        var v when TryInteger(v, out var i) => (double)i,
        var v => throw Wrong(key, v, "a number"),
    };

    public double? OptionalDouble(string key) => IsAbsent(key) ? null : Double(key);

    public bool Boolean(string key) => Require(key) is bool b ? b : throw Wrong(key, map[key], "true or false");

    public bool? OptionalBoolean(string key) => IsAbsent(key) ? null : Boolean(key);

    public string String(string key) => Require(key) is string s ? s : throw Wrong(key, map[key], "a string");

    public string? OptionalString(string key) => IsAbsent(key) ? null : String(key);

    public IReadOnlyDictionary<string, object?> Map(string key) => Require(key) switch
    {
        IReadOnlyDictionary<string, object?> m => m,
        IDictionary<string, object?> m => new Dictionary<string, object?>(m),
        var v => throw Wrong(key, v, "a map"),
    };

    public IReadOnlyDictionary<string, object?>? OptionalMap(string key) => IsAbsent(key) ? null : Map(key);

    /// <summary>The keys this message does not know (the envelope's <c>v</c>/<c>seq</c>/<c>tseq</c> excluded), kept so nothing is lost.</summary>
    public IReadOnlyDictionary<string, object?> Extras(params ReadOnlySpan<string> known)
    {
        Dictionary<string, object?>? extras = null;
        foreach (var (key, value) in map)
        {
            if (MapMessage.IsEnvelopeKey(key) || known.Contains(key)) continue;
            (extras ??= new Dictionary<string, object?>(StringComparer.Ordinal))[key] = value;
        }
        return extras ?? Empty;
    }

    /// <summary>Adds the extras to a map being built, refusing to let one shadow a documented key.</summary>
    public static Dictionary<string, object?> WithExtras(string topic, Dictionary<string, object?> map, IReadOnlyDictionary<string, object?> extras)
    {
        foreach (var (key, value) in extras)
        {
            if (MapMessage.IsEnvelopeKey(key) || !map.TryAdd(key, value))
                throw new ArgumentException($"{topic} extra key '{key}' collides with a documented key of the message", nameof(extras));
        }
        return map;
    }

    /// <summary>Adds an optional key only when it has a value, so absent stays absent on the wire.</summary>
    public static void AddOptional(Dictionary<string, object?> map, string key, object? value)
    {
        if (value is not null) map[key] = value;
    }

    private bool IsAbsent(string key) => !map.TryGetValue(key, out var value) || value is null;

    private object Require(string key)
    {
        if (!map.TryGetValue(key, out var value))
            throw new FormatException($"{topic} map lacks the required key '{key}'");
        return value ?? throw Wrong(key, null, "a value (not nil)");
    }

    private Int128 Integer(string key, Int128 min, Int128 max, string allowed)
    {
        var value = Require(key);
        if (!TryInteger(value, out var i) || i < min || i > max)
            throw Wrong(key, value, allowed);
        return i;
    }

    private static bool TryInteger(object value, out Int128 result)
    {
        switch (value)
        {
            case long v: result = v; return true;
            case ulong v: result = v; return true;
            case int v: result = v; return true;
            case uint v: result = v; return true;
            case short v: result = v; return true;
            case ushort v: result = v; return true;
            case sbyte v: result = v; return true;
            case byte v: result = v; return true;
            default: result = 0; return false;
        }
    }

    private FormatException Wrong(string key, object? value, string allowed) =>
        new($"{topic} map: key '{key}' = {Show(value)}; allowed: {allowed}");

    private static string Show(object? value) => value switch
    {
        null => "nil",
        string s => s.Length <= 40 ? $"\"{s}\" (string)" : $"\"{s[..40]}…\" (string of {s.Length} chars)",
        byte[] b => $"bin of {b.Length} bytes",
        IDictionary d => $"map of {d.Count} entries",
        ICollection c => $"array of {c.Count} elements",
        IFormattable f => $"{f.ToString(null, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => value.GetType().Name,
    };
}
