using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Tests.MessagePack;

public sealed class MessagePackMapLookupTests
{
    private static byte[] Map(Action<MessagePackWriter> writeEntries, int count)
    {
        var writer = new MessagePackWriter();
        writer.WriteMapHeader(count);
        writeEntries(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static readonly byte[] Event = Map(w =>
    {
        w.WriteInt64(7);                 // a non-string key, skipped
        w.WriteString("ignored");
        w.WriteKey("samples"u8);
        w.WriteBinary(new byte[70_000]); // a bin32 value, skipped
        w.WriteKey("t_ns"u8);
        w.WriteInt64(-5);
        w.WriteKey("trg"u8);
        w.WriteUInt64(ulong.MaxValue);
        w.WriteKey("name"u8);
        w.WriteString("run");
    }, 5);

    [Fact]
    public void WhenTheKeyFollowsOtherKeysAndBinsThenItsIntegerIsRead()
    {
        Assert.True(MessagePackMapLookup.TryReadUInt64(Event, "trg"u8, out ulong trigger));
        Assert.Equal(ulong.MaxValue, trigger);
        Assert.True(MessagePackMapLookup.TryReadInt64(Event, "t_ns"u8, out long time));
        Assert.Equal(-5, time);
    }

    [Fact]
    public void WhenTheKeyIsMissingOrItsValueIsNotAnIntegerInRangeThenTheLookupFails()
    {
        Assert.False(MessagePackMapLookup.TryReadUInt64(Event, "run"u8, out _));
        Assert.False(MessagePackMapLookup.TryReadUInt64(Event, "name"u8, out _));
        Assert.False(MessagePackMapLookup.TryReadUInt64(Event, "t_ns"u8, out _));   // negative
        Assert.False(MessagePackMapLookup.TryReadInt64(Event, "trg"u8, out _));     // above long.MaxValue
    }

    [Fact]
    public void WhenThePayloadIsNotAReadableMapThenTheLookupFailsWithoutThrowing()
    {
        Assert.False(MessagePackMapLookup.TryReadUInt64([0x93, 0x01], "trg"u8, out _));         // an array
        Assert.False(MessagePackMapLookup.TryReadUInt64(Event.AsSpan(0, 40), "trg"u8, out _));  // cut inside the bin
        Assert.False(MessagePackMapLookup.TryReadInt64([], "t_ns"u8, out _));
    }
}
