namespace BeamDAQ.Daq.Configuration.Schema;

/// <summary>The type of a configuration value, as the schema states it.</summary>
internal abstract class SchemaType
{
    /// <summary>What a message says is expected, e.g. "an integer" or "one of: rising, falling".</summary>
    public abstract string Expected { get; }
}

internal enum ScalarKind { Integer, Number, Boolean, String, Enum }

internal sealed class ScalarType(ScalarKind kind, IReadOnlyList<string>? values = null) : SchemaType
{
    public static readonly ScalarType Integer = new(ScalarKind.Integer);
    public static readonly ScalarType Number = new(ScalarKind.Number);
    public static readonly ScalarType Boolean = new(ScalarKind.Boolean);
    public static readonly ScalarType String = new(ScalarKind.String);

    public static ScalarType OneOf(params string[] values) => new(ScalarKind.Enum, values);

    public ScalarKind Kind { get; } = kind;
    public IReadOnlyList<string> Values { get; } = values ?? [];

    public override string Expected => Kind switch
    {
        ScalarKind.Integer => "an integer",
        ScalarKind.Number => "a number",
        ScalarKind.Boolean => "true or false",
        ScalarKind.String => "a string",
        _ => "one of: " + string.Join(", ", Values),
    };
}

internal sealed class ListType(SchemaType item) : SchemaType
{
    public SchemaType Item { get; } = item;
    public override string Expected => "a list";
}

internal sealed class ObjectType(params SchemaField[] fields) : SchemaType
{
    public IReadOnlyList<SchemaField> Fields { get; } = fields;
    public SchemaField? Find(string key) => Fields.FirstOrDefault(f => f.Key == key);
    public override string Expected => "a mapping of keys (" + string.Join(", ", Fields.Select(f => f.Key)) + ")";
}

/// <summary>A key of a mapping: its type, its default (used when the key is absent) and whether null is allowed.</summary>
internal sealed record SchemaField(string Key, SchemaType Type, object? Default = null, bool Nullable = false, bool Required = false, string Doc = "");
