using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Events;

/// <summary>
/// The envelope every non-<c>evt</c> topic shares (DESIGN §4): one MessagePack map that starts with the schema
/// version <c>v</c>, the publisher's sequence <c>seq</c> (all its topics together) and — an extra key — the
/// publisher's sequence of this topic alone <c>tseq</c>, followed by the topic's own keys.
/// </summary>
public static class MapMessage
{
    public const string VersionKey = "v";
    public const string SequenceKey = "seq";
    public const string TopicSequenceKey = "tseq";

    /// <summary>True for the keys of the envelope, which belong to the publisher and are never taken from a message's own map.</summary>
    public static bool IsEnvelopeKey(string key) => key is VersionKey or SequenceKey or TopicSequenceKey;

    /// <summary>
    /// Writes <c>{v, seq, ...map}</c> without <c>tseq</c>, as a sender that keeps no per-topic count does
    /// (subscribers then count losses from <c>seq</c>). Publishers use the overload with <c>tseq</c>.
    /// </summary>
    public static void Encode(string? topic, IDictionary<string, object?> map, ulong seq, MessagePackWriter writer)
        => Encode(topic, map, seq, tseq: 0, writer);

    /// <summary>
    /// Writes <c>{v, seq, tseq, ...map}</c> into <paramref name="writer"/> (appending; the caller resets it).
    /// <paramref name="tseq"/> counts from 1; 0 means none and leaves the key out. The envelope belongs to the
    /// publisher: <c>v</c>, <c>seq</c> and <c>tseq</c> entries in <paramref name="map"/> are dropped, never written
    /// twice. <paramref name="topic"/> names the message in errors.
    /// </summary>
    public static void Encode(string? topic, IDictionary<string, object?> map, ulong seq, ulong tseq, MessagePackWriter writer)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(writer);
        int ownKeys = map.Count - (map.ContainsKey(VersionKey) ? 1 : 0) - (map.ContainsKey(SequenceKey) ? 1 : 0)
            - (map.ContainsKey(TopicSequenceKey) ? 1 : 0);
        writer.WriteMapHeader((tseq == 0 ? 2 : 3) + ownKeys);
        writer.WriteKey("v"u8);
        writer.WriteInt64(SchemaVersion.Current);
        writer.WriteKey("seq"u8);
        writer.WriteUInt64(seq);
        if (tseq != 0)
        {
            writer.WriteKey("tseq"u8);
            writer.WriteUInt64(tseq);
        }
        foreach (var (key, value) in map)
        {
            if (IsEnvelopeKey(key)) continue;
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
    public static byte[] EncodeToArray(string? topic, IDictionary<string, object?> map, ulong seq) => EncodeToArray(topic, map, seq, tseq: 0);

    /// <summary>Encodes into a new array with <c>tseq</c> (0: without).</summary>
    public static byte[] EncodeToArray(string? topic, IDictionary<string, object?> map, ulong seq, ulong tseq)
    {
        var writer = new MessagePackWriter();
        Encode(topic, map, seq, tseq, writer);
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
