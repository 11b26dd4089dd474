using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Daq.Replay;

/// <summary>
/// What replay changes in a recorded payload, and nothing else: an <c>evt</c> gets the
/// <see cref="EventFlags.Replay"/> bit in <c>flags</c>, a <c>run.begin</c> gets <c>replay: true</c>. Both are
/// splices of the original bytes: the map is walked (values skipped, samples never decoded) to find the place, the
/// bytes before and after are copied as they are, and only the one value — or the map header plus one new entry —
/// is encoded anew. Every other topic is republished byte for byte; <c>seq</c> and <c>tseq</c> keep their recorded values.
/// </summary>
/// <remarks>One instance per replay thread: the result is valid until the next call.</remarks>
public sealed class ReplayMarking
{
    public const string ReplayKey = "replay";

    private readonly MessagePackWriter _head = new(16);
    private readonly MessagePackWriter _tail = new(16);
    private byte[] _buffer = new byte[64 * 1024];

    /// <summary><paramref name="payload"/> with the replay bit set in <c>flags</c>.</summary>
    /// <exception cref="MessagePackFormatException">The payload is not a map with an unsigned integer <c>flags</c>.</exception>
    public ReadOnlySpan<byte> MarkEvent(ReadOnlySpan<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        int keys = reader.ReadMapHeader();
        for (int i = 0; i < keys; i++)
        {
            if (!NextKeyIs(ref reader, "flags"u8))
            {
                reader.Skip(); // the value
                continue;
            }
            int start = reader.Position;
            ulong flags = reader.ReadUInt64();
            _head.Reset();
            _head.WriteUInt64(flags | (uint)EventFlags.Replay);
            return Splice(payload[..start], _head.WrittenSpan, payload[reader.Position..]);
        }
        throw new MessagePackFormatException(reader.Position, "evt map lacks the key 'flags'");
    }

    /// <summary><paramref name="payload"/> with <c>replay: true</c> (replacing a <c>replay</c> value already there).</summary>
    /// <exception cref="MessagePackFormatException">The payload is not a map.</exception>
    public ReadOnlySpan<byte> MarkRunBegin(ReadOnlySpan<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        int keys = reader.ReadMapHeader();
        int headerEnd = reader.Position;
        for (int i = 0; i < keys; i++)
        {
            if (!NextKeyIs(ref reader, "replay"u8))
            {
                reader.Skip();
                continue;
            }
            int start = reader.Position;
            reader.Skip();
            _head.Reset();
            _head.WriteBoolean(true);
            return Splice(payload[..start], _head.WrittenSpan, payload[reader.Position..]);
        }
        _head.Reset();
        _head.WriteMapHeader(keys + 1);
        _tail.Reset();
        _tail.WriteKey("replay"u8);
        _tail.WriteBoolean(true);
        return Splice(_head.WrittenSpan, payload[headerEnd..], _tail.WrittenSpan);
    }

    /// <summary>Reads the next key; true when it is the string <paramref name="name"/> (a non-string key is skipped).</summary>
    private static bool NextKeyIs(ref MessagePackReader reader, ReadOnlySpan<byte> name)
    {
        if (reader.NextType != MessagePackType.String)
        {
            reader.Skip();
            return false;
        }
        return reader.ReadStringUtf8().SequenceEqual(name);
    }

    private ReadOnlySpan<byte> Splice(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c)
    {
        int length = a.Length + b.Length + c.Length;
        if (_buffer.Length < length) _buffer = new byte[Math.Max(length, 2 * _buffer.Length)];
        a.CopyTo(_buffer);
        b.CopyTo(_buffer.AsSpan(a.Length));
        c.CopyTo(_buffer.AsSpan(a.Length + b.Length));
        return _buffer.AsSpan(0, length);
    }
}
