using System.Collections;
using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization.NamingConventions;

namespace BeamDAQ.Control.Facility.Configuration;

/// <summary>
/// Turns YamlDotNet's deserialization failures ("Property 'x' not found on type 'MagnetConfig'", "The input string
/// 'five' was not in a correct format") into the file's own words: the key's full path, the value, and what the key
/// allows (its type, or the keys its section has). Finds the offending node by the position YamlDotNet reports.
/// </summary>
internal static class FacilityYamlErrors
{
    public static string? Describe(string yaml, YamlException error, Type rootType)
    {
        YamlNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0) return null;
            root = stream.Documents[0].RootNode;
        }
        catch (YamlException syntax)
        {
            string where = $"line {syntax.Start.Line}, column {syntax.Start.Column}";
            return syntax.Message.StartsWith("Duplicate key ", StringComparison.Ordinal)
                ? $"{where}: key '{syntax.Message["Duplicate key ".Length..]}' is given twice; each key may appear once"
                : $"{where}: not valid YAML: {syntax.Message}";
        }

        // A key YamlDotNet does not know is reported at the key; a value it cannot convert, at the value.
        bool unknownKey = error.Message.Contains("not found on type", StringComparison.Ordinal);
        var found = Find(root, rootType, "", error.Start, unknownKey);
        if (found is null) return null;
        var (path, node, type, parentType) = found.Value;
        string at = $"line {error.Start.Line}, column {error.Start.Column}";
        if (unknownKey)
        {
            string section = path.Contains('.') ? path[..path.LastIndexOf('.')] : "";
            return $"{at}: unknown key '{path}'; allowed {(section.Length == 0 ? "at the top level" : $"in '{section}'")}: {string.Join(", ", KeysOf(parentType))}";
        }
        return $"{at}: {path} = {Show(node)}: expected {Expected(type)}";
    }

    /// <summary>The key (or value) at <paramref name="mark"/>: its path, the .NET type it must become and its section's type.</summary>
    private static (string Path, YamlNode Node, Type? Type, Type? ParentType)? Find(YamlNode node, Type? type, string path, Mark mark, bool key)
    {
        if (!key && path.Length > 0 && node.Start.Line == mark.Line && node.Start.Column == mark.Column)
            return (path, node, type, null);
        switch (node)
        {
            case YamlMappingNode mapping:
                foreach (var (name, value) in mapping.Children)
                {
                    string text = (name as YamlScalarNode)?.Value ?? "?";
                    string childPath = path.Length == 0 ? text : $"{path}.{text}";
                    var childType = ChildType(type, text);
                    if (key && name.Start.Line == mark.Line && name.Start.Column == mark.Column)
                        return (childPath, name, childType, type);
                    if (Find(value, childType, childPath, mark, key) is { } hit) return hit;
                }
                break;
            case YamlSequenceNode sequence:
                var itemType = ItemType(type);
                for (int i = 0; i < sequence.Children.Count; i++)
                    if (Find(sequence.Children[i], itemType, $"{path}[{i}]", mark, key) is { } hit) return hit;
                break;
        }
        return null;
    }

    private static Type? ChildType(Type? type, string key)
    {
        if (type is null) return null;
        if (DictionaryValueType(type) is { } valueType) return valueType;
        return Properties(type).FirstOrDefault(p => YamlName(p) == key)?.PropertyType;
    }

    private static Type? ItemType(Type? type)
    {
        if (type is null) return null;
        if (type.IsArray) return type.GetElementType();
        return type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
    }

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? type.GetGenericArguments()[1] : null;

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite);

    private static IEnumerable<string> KeysOf(Type? type) => type is null ? [] : Properties(type).Select(YamlName);

    private static string YamlName(PropertyInfo property) => UnderscoredNamingConvention.Instance.Apply(property.Name);

    private static string Expected(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (type is null) return "a value of the documented form (see configs/facility.yaml)";
        if (type == typeof(int) || type == typeof(long)) return "an integer";
        if (type == typeof(double) || type == typeof(float)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(string)) return "a text";
        if (DictionaryValueType(type) is { } valueType) return $"a mapping of names to {Expected(valueType)}";
        if (ItemType(type) is { } item) return item == typeof(double) ? "a list of numbers, e.g. [9.9, 3.1]" : $"a list of {Expected(item)}";
        return $"a mapping of keys ({string.Join(", ", KeysOf(type))})";
    }

    private static string Show(YamlNode node) => node switch
    {
        YamlScalarNode scalar => $"'{scalar.Value}'",
        YamlSequenceNode => "(a list)",
        YamlMappingNode => "(a mapping)",
        _ => "?",
    };
}
