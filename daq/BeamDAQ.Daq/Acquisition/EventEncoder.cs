using System.Runtime.InteropServices;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Daq.Acquisition;

/// <summary>
/// Encodes an acquired block as the <c>evt</c> map of DESIGN §4 straight from the digitizer's reusable buffers:
/// no <see cref="DaqEvent"/> or <see cref="ChannelRecord"/> objects per event, and each channel's samples copied
/// once, into the output buffer. The keys come from <see cref="EventCodec.WriteHeader"/> and
/// <see cref="EventCodec.WriteChannelHeader"/>, so the bytes are those of <see cref="EventCodec.Encode(DaqEvent, ulong, ulong, MessagePackWriter)"/>
/// for the same event and numbers; a test holds the two together.
/// </summary>
internal static class EventEncoder
{
    /// <param name="sequence"><c>seq</c>: the publisher's number of this message among all it sends.</param>
    /// <param name="topicSequence"><c>tseq</c>: its number among the <c>evt</c> messages, from 1 (0 leaves the key out, as <see cref="EventCodec"/> does).</param>
    public static void Encode(MessagePackWriter writer, ulong sequence, ulong topicSequence, uint run, ulong trigger, long timeNs, EventFlags flags, AcquiredBlock block)
    {
        var applied = block.Applied;
        var channels = block.Channels;
        EventCodec.WriteHeader(writer, sequence, topicSequence, run, trigger, timeNs, flags, applied.SampleRateHz,
            (ulong)Math.Max(0, block.ValidPreSamples), channels.Count);
        int count = Math.Clamp(block.SampleCount, 0, applied.RecordLength);
        for (int i = 0; i < channels.Count; i++) // index loop: foreach over the interface would allocate an enumerator
        {
            var c = channels[i];
            EventCodec.WriteChannelHeader(writer, c.Id, c.RangeVolts, applied.ResolutionBits, c.VoltsPerCode, c.OffsetVolts);
            // Little-endian int16 as in memory (BeamDAQ runs on little-endian hosts, as EventCodec documents).
            var samples = MemoryMarshal.AsBytes(block.SamplesOf(i).AsSpan(0, count));
            samples.CopyTo(writer.WriteBinaryHeaderAndGetSpan(samples.Length));
        }
    }
}
