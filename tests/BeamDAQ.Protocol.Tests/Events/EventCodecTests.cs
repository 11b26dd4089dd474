using System.Runtime.InteropServices;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.Tests.MessagePack.Support;

namespace BeamDAQ.Protocol.Tests.Events;

public sealed class EventCodecTests
{
    [Fact]
    public void WhenAFourChannelTenThousandSampleEventRoundTripsThenEveryFieldAndSampleSurvives()
    {
        var original = SampleEvents.Create(channels: 4, samplesPerChannel: 10_000, seed: 9);
        byte[] payload = EventCodec.EncodeToArray(original);

        var decoded = EventCodec.Decode(payload);

        Assert.Equal((original.Sequence, original.Run, original.Trigger, original.TimeNs, original.Flags, original.SampleRate, original.PreSamples),
            (decoded.Sequence, decoded.Run, decoded.Trigger, decoded.TimeNs, decoded.Flags, decoded.SampleRate, decoded.PreSamples));
        Assert.Equal(4, decoded.Channels.Count);
        for (int i = 0; i < 4; i++)
        {
            var (want, got) = (original.Channels[i], decoded.Channels[i]);
            Assert.Equal((want.Id, want.Range, want.Bits, want.Lsb, want.Offset), (got.Id, got.Range, got.Bits, got.Lsb, got.Offset));
            Assert.Equal(10_000, got.SampleCount);
            Assert.True(want.Samples.SequenceEqual(got.Samples));
        }
    }

    [Fact]
    public void WhenAnEventIsDecodedThenItsSamplesAreSlicesOfThePayloadNotCopies()
    {
        byte[] payload = EventCodec.EncodeToArray(SampleEvents.Create(channels: 4, samplesPerChannel: 10_000, seed: 2));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var decoded = EventCodec.Decode(payload);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        foreach (var channel in decoded.Channels)
        {
            Assert.True(MemoryMarshal.TryGetArray(channel.SampleBytes, out var segment));
            Assert.Same(payload, segment.Array);
            Assert.InRange(segment.Offset, 1, payload.Length - segment.Count);
            // The slice covers the bin body exactly: the bytes before it are the bin 16 header with its length.
            Assert.Equal(0xc5, payload[segment.Offset - 3]);
            Assert.Equal(20_000, (payload[segment.Offset - 2] << 8) | payload[segment.Offset - 1]);
        }
        Assert.True(allocated < 2_000, $"decoding allocated {allocated} bytes; the 80,000 sample bytes must not be copied");
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 1, 5)]
    [InlineData(2, 127, 6)]
    [InlineData(3, 128, 7)]
    [InlineData(4, 32_768, 8)]
    [InlineData(4, 10_000, 9)]
    public void WhenAnEventIsEncodedToAnArrayThenItsPredictedLengthIsExactAndTheArrayIsAllocatedOnce(int channels, int samples, int seed)
    {
        var e = SampleEvents.Create(channels, samples, seed, sequence: (ulong)seed << (seed * 7));
        var writer = new MessagePackWriter();
        EventCodec.Encode(e, writer);

        Assert.Equal(writer.Length, EventCodec.EncodedLength(e));
        long before = GC.GetAllocatedBytesForCurrentThread();
        byte[] array = EventCodec.EncodeToArray(e);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(writer.WrittenSpan.SequenceEqual(array));
        Assert.True(allocated < array.Length + 256, $"allocated {allocated} bytes for a {array.Length}-byte message");
    }

    [Fact]
    public void WhenAnEventIsEncodedThenAGenericReaderSeesTheDocumentedMap()
    {
        var e = SampleEvents.Create(channels: 2, samplesPerChannel: 3, seed: 4);
        var map = MapMessage.Decode(EventCodec.EncodeToArray(e));
        Assert.Null(ValueComparer.Difference(SampleEvents.ExpectedMap(e), map));
    }

    [Theory]
    [InlineData(1ul, 1ul)]
    [InlineData(300ul, 127ul)]
    [InlineData(ulong.MaxValue, 70_000ul)]
    public void WhenAnEventIsEncodedWithAStampThenTheBytesAreThoseOfTheEventCarryingThoseNumbersAndNothingIsAllocated(ulong seq, ulong tseq)
    {
        var e = SampleEvents.Create(channels: 2, samplesPerChannel: 1000, seed: 11, sequence: 3, topicSequence: 2);
        var stamped = new DaqEvent(e.Run, e.Trigger, e.TimeNs, e.Flags, e.SampleRate, e.PreSamples, e.Channels) { Sequence = seq, TopicSequence = tseq };
        var writer = new MessagePackWriter(64 * 1024);
        EventCodec.Encode(e, seq, tseq, writer); // warm-up: the writer has its working size

        writer.Reset();
        long before = GC.GetAllocatedBytesForCurrentThread();
        EventCodec.Encode(e, seq, tseq, writer);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(Convert.ToHexString(EventCodec.EncodeToArray(stamped)), Convert.ToHexString(writer.WrittenSpan));
        Assert.Equal(writer.Length, EventCodec.EncodedLength(e, seq, tseq));
        var decoded = EventCodec.Decode(writer.WrittenSpan.ToArray());
        Assert.Equal((seq, tseq), (decoded.Sequence, decoded.TopicSequence));
        Assert.Equal((3ul, 2ul), (e.Sequence, e.TopicSequence)); // the event keeps its own numbers
        var unstamped = EventCodec.Decode(EventCodec.EncodeToArray(e));
        Assert.Equal((3ul, 2ul), (unstamped.Sequence, unstamped.TopicSequence)); // and encodes them after a stamped encode
    }

    [Fact]
    public void WhenAnEventIsEncodedThenVSeqAndTseqAreItsFirstKeys()
    {
        var map = MapMessage.Decode(EventCodec.EncodeToArray(SampleEvents.Create(1, 4, seed: 1, sequence: 12, topicSequence: 7)));
        Assert.Equal(["v", "seq", "tseq", "run"], map.Keys.Take(4));
        Assert.Equal((12L, 7L), ((long)map["seq"]!, (long)map["tseq"]!));
    }

    [Fact]
    public void WhenAnEventHasNoTopicSequenceThenTseqIsLeftOutAndDecodesAsZero()
    {
        // A sender that keeps no per-topic count (tseq counts from 1, so 0 is never sent).
        byte[] payload = EventCodec.EncodeToArray(SampleEvents.Create(1, 4, seed: 1, sequence: 12, topicSequence: 0));

        Assert.DoesNotContain("tseq", MapMessage.Decode(payload).Keys);
        var decoded = EventCodec.Decode(payload);
        Assert.Equal((12ul, 0ul), (decoded.Sequence, decoded.TopicSequence));
        Assert.Equal(payload, EventCodec.EncodeToArray(decoded)); // re-encoding (replay marking) keeps the bytes
    }

    [Fact]
    public void WhenTseqIsNotAnUnsignedIntegerThenDecodingFailsAtItsOffset()
    {
        var map = SampleEvents.ExpectedMap(SampleEvents.Create(channels: 1, samplesPerChannel: 2, seed: 1));
        map["tseq"] = "seven";
        byte[] payload = Encode(map);
        var error = Assert.Throws<MessagePackFormatException>(() => EventCodec.Decode(payload));
        Assert.Equal(payload.AsSpan().IndexOf("seven"u8) - 1, (int)error.Offset); // the str header before the text
    }

    [Fact]
    public void WhenTheEvtMapHasExtraKeysThenTheyAreSkipped()
    {
        var e = SampleEvents.Create(channels: 1, samplesPerChannel: 8, seed: 4);
        var map = SampleEvents.ExpectedMap(e);
        map["future_key"] = new Dictionary<string, object?> { ["nested"] = new List<object?> { 1L, "x" } };
        ((Dictionary<string, object?>)((List<object?>)map["ch"]!)[0]!)["coupling"] = "dc";
        var writer = new MessagePackWriter();
        MessagePackValue.Write(writer, map);

        var decoded = EventCodec.Decode(writer.WrittenMemory);

        Assert.Equal(e.Trigger, decoded.Trigger);
        Assert.True(e.Channels[0].Samples.SequenceEqual(decoded.Channels[0].Samples));
    }

    [Theory]
    [InlineData("trg", "lacks required key(s): trg")]
    [InlineData("ch", "lacks required key(s): ch")]
    public void WhenARequiredKeyIsMissingThenTheErrorNamesIt(string key, string expected)
    {
        var map = SampleEvents.ExpectedMap(SampleEvents.Create(channels: 1, samplesPerChannel: 2, seed: 1));
        map.Remove(key);
        var error = Assert.Throws<MessagePackFormatException>(() => EventCodec.Decode(Encode(map)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void WhenTheSchemaVersionIsUnknownThenTheErrorSaysWhichVersionsAreKnown()
    {
        var map = SampleEvents.ExpectedMap(SampleEvents.Create(channels: 1, samplesPerChannel: 2, seed: 1));
        map["v"] = 99L;
        var error = Assert.Throws<MessagePackFormatException>(() => EventCodec.Decode(Encode(map)));
        Assert.Contains("v=99", error.Message);
    }

    [Theory]
    [InlineData("s", 3, "whole number of int16")]
    [InlineData("id", 5, "allowed 1–4")]
    [InlineData("bits", 99, "allowed 0–64")]
    public void WhenAChannelValueIsOutOfRangeThenTheErrorNamesTheKeyAndTheAllowedRange(string key, int value, string expected)
    {
        var map = SampleEvents.ExpectedMap(SampleEvents.Create(channels: 1, samplesPerChannel: 2, seed: 1));
        var channel = (Dictionary<string, object?>)((List<object?>)map["ch"]!)[0]!;
        channel[key] = key == "s" ? new byte[value] : (object)(long)value;
        var error = Assert.Throws<MessagePackFormatException>(() => EventCodec.Decode(Encode(map)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void WhenAChannelIdAppearsTwiceThenDecodingFails()
    {
        var e = SampleEvents.Create(channels: 1, samplesPerChannel: 2, seed: 1);
        var twice = new DaqEvent(e.Run, e.Trigger, e.TimeNs, e.Flags, e.SampleRate, e.PreSamples, [e.Channels[0], e.Channels[0]]);
        var error = Assert.Throws<MessagePackFormatException>(() => EventCodec.Decode(EventCodec.EncodeToArray(twice)));
        Assert.Contains("appears twice", error.Message);
    }

    private static byte[] Encode(Dictionary<string, object?> map)
    {
        var writer = new MessagePackWriter();
        MessagePackValue.Write(writer, map);
        return writer.WrittenSpan.ToArray();
    }
}
