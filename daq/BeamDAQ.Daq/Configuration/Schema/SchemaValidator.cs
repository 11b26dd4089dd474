using System.Globalization;

namespace BeamDAQ.Daq.Configuration.Schema;

/// <summary>
/// Checks a <see cref="ConfigNode"/> tree against a schema and produces the normalised value tree
/// (mappings as <c>Dictionary&lt;string, object?&gt;</c> in schema order with defaults filled in, lists as
/// <c>List&lt;object?&gt;</c>, scalars as long, double, bool, string or null). Every unknown key, wrong type
/// and missing required key becomes a problem naming its key path (e.g. <c>digitizer.chanels</c>) and
/// location; validation goes on after a problem so one run reports them all.
/// </summary>
internal sealed class SchemaValidator
{
    private readonly List<ConfigurationProblem> _problems;
    private readonly Dictionary<string, SourceLocation> _locations = new(StringComparer.Ordinal);

    public SchemaValidator(List<ConfigurationProblem> problems) => _problems = problems;

    /// <summary>Where each key path was written (paths of defaults are absent).</summary>
    public IReadOnlyDictionary<string, SourceLocation> Locations => _locations;

    public Dictionary<string, object?> ValidateRoot(ConfigNode? root, ObjectType schema, SourceLocation fileLocation) =>
        (Dictionary<string, object?>)ValidateObject(root, schema, "", fileLocation)!;

    private object? Validate(ConfigNode node, SchemaType type, string path)
    {
        _locations[path] = node.Location;
        return type switch
        {
            ObjectType o => ValidateObject(node, o, path, node.Location),
            ListType l => ValidateList(node, l, path),
            ScalarType s => ValidateScalar(node, s, path),
            _ => throw new InvalidOperationException($"unknown schema type {type.GetType().Name}"),
        };
    }

    private object? ValidateObject(ConfigNode? node, ObjectType schema, string path, SourceLocation location)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        var given = new Dictionary<string, ConfigEntry>(StringComparer.Ordinal);
        switch (node)
        {
            case null:
                break;
            case ConfigScalar { IsNull: true }:
                break; // "section:" with nothing under it: all defaults
            case ConfigMapping mapping:
                foreach (var entry in mapping.Entries)
                {
                    string childPath = Join(path, entry.Key);
                    if (schema.Find(entry.Key) is null)
                    {
                        _problems.Add(new ConfigurationProblem(entry.KeyLocation, childPath, UnknownKeyMessage(schema, path, entry.Key)));
                        continue;
                    }
                    if (!given.TryAdd(entry.Key, entry))
                        _problems.Add(new ConfigurationProblem(entry.KeyLocation, childPath, $"key '{childPath}' is given twice"));
                }
                break;
            default:
                _problems.Add(new ConfigurationProblem(node.Location, path, $"'{Name(path)}' is {Describe(node)}; expected {schema.Expected}"));
                break;
        }

        foreach (var field in schema.Fields)
        {
            string childPath = Join(path, field.Key);
            if (given.TryGetValue(field.Key, out var entry))
            {
                _locations[childPath] = entry.Value.Location;
                if (entry.Value is ConfigScalar { IsNull: true } && field.Type is not ObjectType)
                {
                    if (field.Nullable) result[field.Key] = null;
                    else
                    {
                        _problems.Add(new ConfigurationProblem(entry.Value.Location, childPath, $"'{childPath}' is empty (null); expected {field.Type.Expected}"));
                        result[field.Key] = Clone(field.Default);
                    }
                    continue;
                }
                result[field.Key] = Validate(entry.Value, field.Type, childPath);
            }
            else if (field.Required)
            {
                _problems.Add(new ConfigurationProblem(node?.Location ?? location, childPath, $"'{childPath}' is missing; expected {field.Type.Expected}"));
                result[field.Key] = Clone(field.Default);
            }
            else if (field.Type is ObjectType nested && field.Default is null)
                result[field.Key] = ValidateObject(null, nested, childPath, node?.Location ?? location);
            else
                result[field.Key] = Clone(field.Default);
        }
        return result;
    }

    private List<object?> ValidateList(ConfigNode node, ListType type, string path)
    {
        var result = new List<object?>();
        if (node is not ConfigSequence sequence)
        {
            _problems.Add(new ConfigurationProblem(node.Location, path, $"'{path}' is {Describe(node)}; expected a list"));
            return result;
        }
        for (int i = 0; i < sequence.Items.Count; i++)
            result.Add(Validate(sequence.Items[i], type.Item, $"{path}[{i}]"));
        return result;
    }

    private object? ValidateScalar(ConfigNode node, ScalarType type, string path)
    {
        if (node is not ConfigScalar scalar)
        {
            _problems.Add(new ConfigurationProblem(node.Location, path, $"'{path}' is {Describe(node)}; expected {type.Expected}"));
            return null;
        }
        if (TryConvert(scalar, type, out var value)) return value;
        _problems.Add(new ConfigurationProblem(scalar.Location, path, $"'{path}' = {scalar.Display} is {Describe(scalar)}; expected {type.Expected}"));
        return null;
    }

    private static bool TryConvert(ConfigScalar scalar, ScalarType type, out object? value)
    {
        value = null;
        if (scalar.Typed) return TryConvertTyped(scalar.Value, type, out value);
        string text = scalar.Text ?? "";
        switch (type.Kind)
        {
            case ScalarKind.Integer:
                if (scalar.Quoted || !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return false;
                value = l;
                return true;
            case ScalarKind.Number:
                if (scalar.Quoted || !TryParseNumber(text, out double d)) return false;
                value = d;
                return true;
            case ScalarKind.Boolean:
                if (scalar.Quoted) return false;
                if (text.Equals("true", StringComparison.OrdinalIgnoreCase)) { value = true; return true; }
                if (text.Equals("false", StringComparison.OrdinalIgnoreCase)) { value = false; return true; }
                return false;
            case ScalarKind.String:
                value = text;
                return true;
            default:
                var match = type.Values.FirstOrDefault(v => v.Equals(text, StringComparison.OrdinalIgnoreCase));
                value = match;
                return match is not null;
        }
    }

    private static bool TryConvertTyped(object? raw, ScalarType type, out object? value)
    {
        value = null;
        switch (type.Kind)
        {
            case ScalarKind.Integer:
                switch (raw)
                {
                    case long or int or short or byte or uint or ushort: value = Convert.ToInt64(raw, CultureInfo.InvariantCulture); return true;
                    case ulong u when u <= long.MaxValue: value = (long)u; return true;
                    case double dd when double.IsFinite(dd) && Math.Floor(dd) == dd && Math.Abs(dd) < 9e15: value = (long)dd; return true;
                    default: return false;
                }
            case ScalarKind.Number:
                switch (raw)
                {
                    case double dd when double.IsFinite(dd): value = dd; return true;
                    case float f when float.IsFinite(f): value = (double)f; return true;
                    case long or int or short or byte or uint or ushort or ulong: value = Convert.ToDouble(raw, CultureInfo.InvariantCulture); return true;
                    case string s when TryParseNumber(s, out double parsed): value = parsed; return true;
                    default: return false;
                }
            case ScalarKind.Boolean:
                if (raw is bool b) { value = b; return true; }
                if (raw is string bs && bool.TryParse(bs, out bool parsedBool)) { value = parsedBool; return true; }
                return false;
            case ScalarKind.String:
                if (raw is string str) { value = str; return true; }
                if (raw is long or int or ulong or uint) { value = Convert.ToString(raw, CultureInfo.InvariantCulture); return true; }
                return false;
            default:
                var text = raw as string;
                var match = text is null ? null : type.Values.FirstOrDefault(v => v.Equals(text, StringComparison.OrdinalIgnoreCase));
                value = match;
                return match is not null;
        }
    }

    /// <summary>A finite decimal number: 50000000, 50e6, 5.0e+7, -0.25 (no infinities, no NaN, no thousands separators).</summary>
    internal static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string Describe(ConfigNode node) => node switch
    {
        ConfigMapping => "a mapping",
        ConfigSequence => "a list",
        ConfigScalar { IsNull: true } => "empty (null)",
        ConfigScalar { Typed: true, Value: var v } => v switch
        {
            bool => "a boolean",
            string => "a string",
            long or int or ulong or uint => "an integer",
            double or float => "a number",
            _ => $"a {v?.GetType().Name}",
        },
        ConfigScalar { Quoted: true } => "a quoted string",
        ConfigScalar s when long.TryParse(s.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => "an integer",
        ConfigScalar s when TryParseNumber(s.Text ?? "", out _) => "a number",
        ConfigScalar s when s.Text is "true" or "false" => "a boolean",
        _ => "a string",
    };

    private static string UnknownKeyMessage(ObjectType schema, string parentPath, string key)
    {
        string path = Join(parentPath, key);
        var suggestion = schema.Fields.Select(f => f.Key)
            .Select(k => (Key: k, Distance: EditDistance(k, key)))
            .Where(x => x.Distance <= Math.Max(2, key.Length / 4))
            .OrderBy(x => x.Distance).Select(x => x.Key).FirstOrDefault();
        string where = parentPath.Length == 0 ? "at the top level" : $"in '{parentPath}'";
        return $"unknown key '{path}'" + (suggestion is null ? "" : $" (did you mean '{Join(parentPath, suggestion)}'?)")
            + $"; allowed {where}: {string.Join(", ", schema.Fields.Select(f => f.Key))}";
    }

    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    private static string Join(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;
    private static string Name(string path) => path.Length == 0 ? "the document" : path;

    private static object? Clone(object? value) => value switch
    {
        Dictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => Clone(kv.Value), StringComparer.Ordinal),
        List<object?> list => list.Select(Clone).ToList(),
        _ => value,
    };
}
