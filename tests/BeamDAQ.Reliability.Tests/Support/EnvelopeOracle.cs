using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>
/// The documented contract of a subscriber (docs/format.md §1), written independently of it: a message is two
/// frames, and its payload is exactly one MessagePack map with str keys carrying an unsigned <c>seq</c> and an
/// integer <c>v</c>; per topic, a jump of k in <c>seq</c> means k − 1 lost messages and a smaller number a restart.
/// </summary>
public sealed class EnvelopeOracle
{
    private readonly Dictionary<string, ulong> _last = new(StringComparer.Ordinal);

    public long Missed { get; private set; }
    public long Resets { get; private set; }

    /// <summary>The payload's seq when its envelope is valid, else null.</summary>
    public static ulong? Sequence(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new MessagePackReader(payload);
            if (reader.End || reader.NextType != MessagePackType.Map) return null;
            int keys = reader.ReadMapHeader();
            ulong? seq = null;
            bool version = false;
            for (int i = 0; i < keys; i++)
            {
                if (reader.NextType != MessagePackType.String) return null;
                var key = reader.ReadStringUtf8();
                if (key.SequenceEqual("seq"u8)) seq = reader.ReadUInt64();
                else if (key.SequenceEqual("v"u8)) { reader.ReadInt64(); version = true; }
                else reader.Skip();
            }
            return reader.End && version ? seq : null;
        }
        catch (MessagePackFormatException)
        {
            return null;
        }
    }

    /// <summary>Accounts a delivered message; returns what the subscriber must report with it.</summary>
    public (ulong MissedBefore, bool Reset) Observe(string topic, ulong seq)
    {
        if (!_last.TryGetValue(topic, out ulong last))
        {
            _last[topic] = seq;
            return (0, false);
        }
        _last[topic] = seq;
        if (seq > last)
        {
            ulong missed = seq - last - 1;
            Missed = missed > (ulong)(long.MaxValue - Missed) ? long.MaxValue : Missed + (long)missed;
            return (missed, false);
        }
        Resets++;
        return (0, true);
    }
}
