using System.Collections;

namespace BeamDAQ.Protocol.MessagePack;

/// <summary>
/// Untyped values for maps whose shape is open (run.begin config, metadata, status): writes plain .NET objects
/// and reads them back as null, bool, long (ulong above <see cref="long.MaxValue"/>), double, string, byte[],
/// <see cref="List{T}"/>, <see cref="Dictionary{TKey,TValue}"/> with string keys, <see cref="DateTimeOffset"/>
/// (timestamp extension) and <see cref="MessagePackExtension"/> (any other extension).
/// </summary>
public static class MessagePackValue
{
    /// <summary>Largest container capacity reserved from a declared count before its elements have been read.</summary>
    private const int MaxPresize = 1024;

    /// <summary>
    /// Writes null, bool, any integer type, enums (as their integer), float (float 32), double, decimal (float 64),
    /// string, byte[], ReadOnlyMemory&lt;byte&gt;, string-keyed dictionaries, other enumerables (arrays),
    /// DateTimeOffset/DateTime (timestamps) and <see cref="MessagePackExtension"/>.
    /// </summary>
    public static void Write(MessagePackWriter writer, object? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Write(writer, value, depth: 0);
    }

    /// <summary>Reads one value of any type; containers nested deeper than <see cref="MessagePackReader.MaxDepth"/> are rejected.</summary>
    public static object? Read(ref MessagePackReader reader) => Read(ref reader, depth: 0);

    /// <summary>Decodes a whole payload that must be one map with string keys and nothing after it.</summary>
    public static Dictionary<string, object?> ReadMap(ReadOnlySpan<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        if (!reader.End && reader.NextType != MessagePackType.Map)
            MessagePackReader.ThrowUnexpected(0, "a map", payload[0]);
        var map = (Dictionary<string, object?>)Read(ref reader)!;
        if (!reader.End)
            MessagePackReader.ThrowFormat(reader.Position, $"{reader.Remaining} unexpected bytes after the map");
        return map;
    }

    private static object? Read(ref MessagePackReader reader, int depth)
    {
        int start = reader.Position;
        switch (reader.NextType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                Int128 integer = reader.ReadInteger();
                return integer > long.MaxValue ? (ulong)integer : (long)integer;
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return reader.ReadBinary().ToArray();
            case MessagePackType.Extension:
                var data = reader.ReadExtension(out sbyte type);
                return type == -1 ? MessagePackReader.DecodeTimestamp(start, data) : new MessagePackExtension(type, data.ToArray());
            case MessagePackType.Array:
            {
                CheckDepth(start, depth);
                int count = reader.ReadArrayHeader();
                // The count is bounded by the bytes remaining, but every enclosing container may claim the same bytes:
                // presizing from it would let 64 nested headers in a 4 MB message reserve gigabytes. Grow instead.
                var list = new List<object?>(Math.Min(count, MaxPresize));
                for (int i = 0; i < count; i++)
                    list.Add(Read(ref reader, depth + 1));
                return list;
            }
            case MessagePackType.Map:
            {
                CheckDepth(start, depth);
                int count = reader.ReadMapHeader();
                var map = new Dictionary<string, object?>(Math.Min(count, MaxPresize), StringComparer.Ordinal);
                for (int i = 0; i < count; i++)
                {
                    int keyStart = reader.Position;
                    if (reader.NextType != MessagePackType.String)
                        MessagePackReader.ThrowFormat(keyStart, $"map key is {reader.NextType.ToString().ToLowerInvariant()}; only str keys are allowed");
                    string key = reader.ReadString();
                    map[key] = Read(ref reader, depth + 1); // a repeated key keeps the last value, as Python's dict does
                }
                return map;
            }
            default:
                MessagePackReader.ThrowUnexpected(start, "a value", 0xc1);
                return null;
        }
    }

    private static void CheckDepth(int offset, int depth)
    {
        if (depth >= MessagePackReader.MaxDepth)
            MessagePackReader.ThrowFormat(offset, $"containers nested deeper than {MessagePackReader.MaxDepth} levels");
    }

    private static void Write(MessagePackWriter writer, object? value, int depth)
    {
        switch (value)
        {
            case null: writer.WriteNil(); return;
            case bool b: writer.WriteBoolean(b); return;
            case sbyte i8: writer.WriteInt64(i8); return;
            case byte u8: writer.WriteUInt64(u8); return;
            case short i16: writer.WriteInt64(i16); return;
            case ushort u16: writer.WriteUInt64(u16); return;
            case int i32: writer.WriteInt64(i32); return;
            case uint u32: writer.WriteUInt64(u32); return;
            case long i64: writer.WriteInt64(i64); return;
            case ulong u64: writer.WriteUInt64(u64); return;
            case float f: writer.WriteSingle(f); return;
            case double d: writer.WriteDouble(d); return;
            case decimal m: writer.WriteDouble((double)m); return;
            case Enum e: WriteEnum(writer, e); return;
            case string s: writer.WriteString(s); return;
            case byte[] bytes: writer.WriteBinary(bytes); return;
            case ReadOnlyMemory<byte> memory: writer.WriteBinary(memory.Span); return;
            case Memory<byte> memory: writer.WriteBinary(memory.Span); return;
            case DateTimeOffset timestamp: writer.WriteTimestamp(timestamp); return;
            case DateTime dateTime: writer.WriteTimestamp(ToUtc(dateTime)); return;
            case MessagePackExtension ext: writer.WriteExtension(ext.Type, ext.Data); return;
        }

        if (depth >= MessagePackReader.MaxDepth)
            throw new ArgumentException($"value nests containers deeper than {MessagePackReader.MaxDepth} levels (a cycle?)", nameof(value));

        switch (value)
        {
            case IDictionary<string, object?> map:
                writer.WriteMapHeader(map.Count);
                foreach (var (key, item) in map)
                {
                    writer.WriteString(key);
                    Write(writer, item, depth + 1);
                }
                return;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteMapHeader(map.Count);
                foreach (var (key, item) in map)
                {
                    writer.WriteString(key);
                    Write(writer, item, depth + 1);
                }
                return;
            case IDictionary map:
                writer.WriteMapHeader(map.Count);
                foreach (DictionaryEntry entry in map)
                {
                    if (entry.Key is not string key)
                        throw new ArgumentException($"map key {entry.Key} is a {entry.Key.GetType().Name}; only string keys are allowed", nameof(value));
                    writer.WriteString(key);
                    Write(writer, entry.Value, depth + 1);
                }
                return;
            case ICollection collection:
                writer.WriteArrayHeader(collection.Count);
                foreach (var item in collection)
                    Write(writer, item, depth + 1);
                return;
            case IEnumerable sequence:
                var items = sequence.Cast<object?>().ToList(); // the header needs the count first
                writer.WriteArrayHeader(items.Count);
                foreach (var item in items)
                    Write(writer, item, depth + 1);
                return;
            default:
                throw new ArgumentException($"cannot write a {value.GetType().FullName} as MessagePack; allowed: null, bool, integers, float, double, string, byte[], string-keyed maps, arrays, DateTimeOffset", nameof(value));
        }
    }

    private static void WriteEnum(MessagePackWriter writer, Enum value)
    {
        var underlying = Enum.GetUnderlyingType(value.GetType());
        if (underlying == typeof(ulong) || underlying == typeof(uint) || underlying == typeof(ushort) || underlying == typeof(byte))
            writer.WriteUInt64(Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture));
        else
            writer.WriteInt64(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static DateTimeOffset ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Unspecified => throw new ArgumentException($"DateTime {value:O} has no time zone (Kind=Unspecified); use UTC or a DateTimeOffset", nameof(value)),
        _ => new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero),
    };
}
