using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Events;

/// <summary>
/// The envelope every non-<c>evt</c> topic shares (DESIGN §4): one MessagePack map that starts with the schema
/// version <c>v</c> and the publisher's sequence <c>seq</c>, followed by the topic's own keys.
/// </summary>
public static class MapMessage
{
    public const string VersionKey = "v";
    public const string SequenceKey = "seq";

    /// <summary>
    /// Writes <c>{v, seq, ...map}</c> into <paramref name="writer"/> (appending; the caller resets it).
    /// The envelope belongs to the publisher: <c>v</c> and <c>seq</c> entries in <paramref name="map"/> are
    /// replaced, never written twice. <paramref name="topic"/> names the message in errors.
    /// </summary>
    public static void Encode(string? topic, IDictionary<string, object?> map, ulong seq, MessagePackWriter writer)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(writer);
        int ownKeys = map.Count - (map.ContainsKey(VersionKey) ? 1 : 0) - (map.ContainsKey(SequenceKey) ? 1 : 0);
        writer.WriteMapHeader(2 + ownKeys);
        writer.WriteKey("v"u8);
        writer.WriteInt64(SchemaVersion.Current);
        writer.WriteKey("seq"u8);
        writer.WriteUInt64(seq);
        foreach (var (key, value) in map)
        {
            if (key is VersionKey or SequenceKey) continue;
            writer.WriteString(key);
            try
            {
                MessagePackValue.Write(writer, value);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{topic ?? "message"} map: key '{key}': {e.Message}", nameof(map), e);
            }
        }
    }

    /// <summary>Encodes into a new array (for tests and rare messages; publishers reuse a writer).</summary>
    public static byte[] EncodeToArray(string? topic, IDictionary<string, object?> map, ulong seq)
    {
        var writer = new MessagePackWriter();
        Encode(topic, map, seq, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a whole map payload (any topic, <c>evt</c> included) into untyped values.</summary>
    public static Dictionary<string, object?> Decode(ReadOnlySpan<byte> payload) => MessagePackValue.ReadMap(payload);

    /// <summary>
    /// Reads <c>seq</c> without decoding the rest (it is the second key of every BeamDAQ map, but any position is
    /// accepted); for subscribers that only count sequence gaps. Sample bins are skipped, never copied.
    /// </summary>
    public static ulong ReadSequence(ReadOnlySpan<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        int keys = reader.ReadMapHeader();
        for (int i = 0; i < keys; i++)
        {
            if (reader.NextType == MessagePackType.String)
            {
                if (reader.ReadStringUtf8().SequenceEqual("seq"u8))
                    return reader.ReadUInt64();
            }
            else
            {
                reader.Skip(); // a non-string key
            }
            reader.Skip(); // the value of another key
        }
        throw new MessagePackFormatException(0, "map lacks the required key 'seq'");
    }
}
