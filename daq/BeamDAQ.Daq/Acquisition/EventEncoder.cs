using System.Runtime.InteropServices;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Daq.Acquisition;

/// <summary>
/// Encodes an acquired block as the <c>evt</c> map of DESIGN §4 straight from the digitizer's reusable buffers:
/// no <see cref="DaqEvent"/> or <see cref="ChannelRecord"/> objects per event, and each channel's samples copied
/// once, into the output buffer. The bytes are exactly those of <see cref="EventCodec.Encode(DaqEvent, ulong, ulong, MessagePackWriter)"/>
/// for the same event and numbers (same keys, order and encodings); a test holds the two together so the format cannot drift.
/// </summary>
internal static class EventEncoder
{
    /// <param name="sequence"><c>seq</c>: the publisher's number of this message among all it sends.</param>
    /// <param name="topicSequence"><c>tseq</c>: its number among the <c>evt</c> messages, from 1 (0 leaves the key out, as <see cref="EventCodec"/> does).</param>
    public static void Encode(MessagePackWriter writer, ulong sequence, ulong topicSequence, uint run, ulong trigger, long timeNs, EventFlags flags, AcquiredBlock block)
    {
        var applied = block.Applied;
        writer.WriteMapHeader(topicSequence == 0 ? 9 : 10);
        writer.WriteKey("v"u8); writer.WriteInt64(SchemaVersion.Current);
        writer.WriteKey("seq"u8); writer.WriteUInt64(sequence);
        if (topicSequence != 0) { writer.WriteKey("tseq"u8); writer.WriteUInt64(topicSequence); }
        writer.WriteKey("run"u8); writer.WriteUInt64(run);
        writer.WriteKey("trg"u8); writer.WriteUInt64(trigger);
        writer.WriteKey("t_ns"u8); writer.WriteInt64(timeNs);
        writer.WriteKey("flags"u8); writer.WriteUInt64((uint)flags);
        writer.WriteKey("fs"u8); writer.WriteDouble(applied.SampleRateHz);
        writer.WriteKey("pre"u8); writer.WriteUInt64((ulong)Math.Max(0, block.ValidPreSamples));
        writer.WriteKey("ch"u8);
        var channels = block.Channels;
        writer.WriteArrayHeader(channels.Count);
        int count = Math.Clamp(block.SampleCount, 0, applied.RecordLength);
        for (int i = 0; i < channels.Count; i++) // index loop: foreach over the interface would allocate an enumerator
        {
            var c = channels[i];
            writer.WriteMapHeader(6);
            writer.WriteKey("id"u8); writer.WriteInt64(c.Id);
            writer.WriteKey("range"u8); writer.WriteDouble(c.RangeVolts);
            writer.WriteKey("bits"u8); writer.WriteInt64(applied.ResolutionBits);
            writer.WriteKey("lsb"u8); writer.WriteDouble(c.VoltsPerCode);
            writer.WriteKey("off"u8); writer.WriteDouble(c.OffsetVolts);
            writer.WriteKey("s"u8);
            // Little-endian int16 as in memory (BeamDAQ runs on little-endian hosts, as EventCodec documents).
            var samples = MemoryMarshal.AsBytes(block.SamplesOf(i).AsSpan(0, count));
            samples.CopyTo(writer.WriteBinaryHeaderAndGetSpan(samples.Length));
        }
    }
}
