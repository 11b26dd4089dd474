using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>
/// The documented contract of a subscriber (docs/format.md §1), written independently of it: a message is two
/// frames, and its payload is exactly one MessagePack map with str keys carrying an unsigned <c>seq</c>, an integer
/// <c>v</c> and, when present, an unsigned <c>tseq</c>. Per topic, a jump of k in <c>tseq</c> means k − 1 lost
/// messages and a number at or below the last a restart; messages without <c>tseq</c> are counted the same way from
/// <c>seq</c>, in one stream across all topics.
/// </summary>
public sealed class EnvelopeOracle
{
    private readonly Dictionary<string, ulong> _lastTseq = new(StringComparer.Ordinal);
    private ulong? _lastSeq;

    public long Missed { get; private set; }
    public long Resets { get; private set; }

    /// <summary>The payload's seq and tseq (null when absent) when its envelope is valid, else null.</summary>
    public static (ulong Seq, ulong? Tseq)? Envelope(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new MessagePackReader(payload);
            if (reader.End || reader.NextType != MessagePackType.Map) return null;
            int keys = reader.ReadMapHeader();
            ulong? seq = null, tseq = null;
            bool version = false;
            for (int i = 0; i < keys; i++)
            {
                if (reader.NextType != MessagePackType.String) return null;
                var key = reader.ReadStringUtf8();
                if (key.SequenceEqual("seq"u8)) seq = reader.ReadUInt64();
                else if (key.SequenceEqual("tseq"u8)) tseq = reader.ReadUInt64();
                else if (key.SequenceEqual("v"u8)) { reader.ReadInt64(); version = true; }
                else reader.Skip();
            }
            return reader.End && version && seq is { } s ? (s, tseq) : null;
        }
        catch (MessagePackFormatException)
        {
            return null;
        }
    }

    /// <summary>Accounts a delivered message; returns what the subscriber must report with it.</summary>
    public (ulong MissedBefore, bool Reset) Observe(string topic, ulong seq, ulong? tseq)
    {
        ulong number = tseq ?? seq;
        ulong? previous = tseq is null ? _lastSeq : _lastTseq.TryGetValue(topic, out ulong last) ? last : null;
        if (tseq is null) _lastSeq = seq;
        else _lastTseq[topic] = number;
        if (previous is not { } before) return (0, false);
        if (number > before)
        {
            ulong missed = number - before - 1;
            Missed = missed > (ulong)(long.MaxValue - Missed) ? long.MaxValue : Missed + (long)missed;
            return (missed, false);
        }
        Resets++;
        return (0, true);
    }
}
