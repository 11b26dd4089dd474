using BeamDAQ.Daq.Replay;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Daq.Tests.Replay;

/// <summary>Replay marks what it republishes and changes nothing else in the recorded bytes.</summary>
public sealed class ReplayMarkingTests
{
    [Theory]
    [InlineData(EventFlags.None)]
    [InlineData(EventFlags.OverRangeChannel1 | EventFlags.IncompletePreSamples)]
    public void WhenAnEventIsMarkedThenOnlyTheReplayBitIsAdded(EventFlags flags)
    {
        byte[] original = EventCodec.EncodeToArray(Event(flags));
        var marked = new ReplayMarking().MarkEvent(original).ToArray();

        var decoded = EventCodec.Decode(marked);
        Assert.Equal(flags | EventFlags.Replay, decoded.Flags);
        // Same length (flags stay a one-byte fixint) and every other byte unchanged.
        Assert.Equal(original.Length, marked.Length);
        Assert.Equal(1, original.Zip(marked).Count(p => p.First != p.Second));
        Assert.Equal(EventCodec.EncodeToArray(Event(flags | EventFlags.Replay)), marked);
    }

    [Fact]
    public void WhenFlagsNeedALongerEncodingThenTheRestIsSplicedUnchanged()
    {
        var e = Event((EventFlags)0x1_0000);
        var marked = new ReplayMarking().MarkEvent(EventCodec.EncodeToArray(e)).ToArray();
        var decoded = EventCodec.Decode(marked);
        Assert.Equal((EventFlags)0x1_0000 | EventFlags.Replay, decoded.Flags);
        Assert.Equal(e.Channels[1].SampleBytes.ToArray(), decoded.Channels[1].SampleBytes.ToArray());
        Assert.Equal(e.Trigger, decoded.Trigger);
        Assert.Equal((e.Sequence, e.TopicSequence), (decoded.Sequence, decoded.TopicSequence));
    }

    [Fact]
    public void WhenRunBeginIsMarkedThenReplayTrueIsAddedOnceAndEverythingElseKept()
    {
        var begin = new RunBeginMessage
        {
            Run = 12, TimeNs = 5, Config = new Dictionary<string, object?> { ["a"] = 1L }, Applied = new Dictionary<string, object?>(),
            Software = "BeamDAQ 1", Meta = new Dictionary<string, object?> { ["operator"] = "x" },
        };
        byte[] original = MapMessage.EncodeToArray(Topics.RunBegin, begin.ToMap(), seq: 7, tseq: 1);
        var marking = new ReplayMarking();
        byte[] once = marking.MarkRunBegin(original).ToArray();
        byte[] twice = marking.MarkRunBegin(once).ToArray();

        var map = MessagePackValue.ReadMap(once);
        Assert.Equal(true, map[ReplayMarking.ReplayKey]);
        var again = RunBeginMessage.FromMap(map);
        Assert.Equal(12u, again.Run);
        Assert.Equal("x", again.Meta["operator"]);
        Assert.Equal((7L, 1L), ((long)map["seq"]!, (long)map["tseq"]!)); // the recorded numbers, unchanged
        Assert.Equal(once, twice);
    }

    [Fact]
    public void WhenAnEventLacksFlagsThenMarkingFailsWithTheOffset()
    {
        byte[] payload = MapMessage.EncodeToArray("evt", new Dictionary<string, object?> { ["trg"] = 1L }, 1);
        var e = Assert.Throws<MessagePackFormatException>(() => new ReplayMarking().MarkEvent(payload).ToArray());
        Assert.Contains("flags", e.Message);
    }

    private static DaqEvent Event(EventFlags flags) =>
        new(3, 77, 1_763_000_000_000_000_000, flags, 50e6, 100,
            [new ChannelRecord(1, 0.8, 12, 0.8 / 2048, 0, new byte[] { 1, 0, 2, 0, 3, 0 }), new ChannelRecord(2, 2, 12, 2.0 / 2048, 0.001, new byte[] { 255, 255, 9, 0 })])
        { Sequence = 4242, TopicSequence = 4000 };
}
