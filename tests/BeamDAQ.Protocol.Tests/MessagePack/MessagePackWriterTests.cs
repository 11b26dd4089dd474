using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.Tests.MessagePack.Support;

namespace BeamDAQ.Protocol.Tests.MessagePack;

public sealed class MessagePackWriterTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(127L, "7F")]
    [InlineData(128L, "CC80")]
    [InlineData(255L, "CCFF")]
    [InlineData(256L, "CD0100")]
    [InlineData(65535L, "CDFFFF")]
    [InlineData(65536L, "CE00010000")]
    [InlineData(4294967295L, "CEFFFFFFFF")]
    [InlineData(4294967296L, "CF0000000100000000")]
    [InlineData(-1L, "FF")]
    [InlineData(-32L, "E0")]
    [InlineData(-33L, "D0DF")]
    [InlineData(-128L, "D080")]
    [InlineData(-129L, "D1FF7F")]
    [InlineData(-32768L, "D18000")]
    [InlineData(-32769L, "D2FFFF7FFF")]
    [InlineData(long.MinValue, "D38000000000000000")]
    public void WhenWritingAnIntegerThenTheSmallestEncodingIsChosen(long value, string hex)
    {
        var writer = new MessagePackWriter();
        writer.WriteInt64(value);
        Assert.Equal(hex, Convert.ToHexString(writer.WrittenSpan));
    }

    [Fact]
    public void WhenWritingUInt64MaxThenUInt64FormatIsUsed()
    {
        var writer = new MessagePackWriter();
        writer.WriteUInt64(ulong.MaxValue);
        Assert.Equal("CFFFFFFFFFFFFFFFFF", Convert.ToHexString(writer.WrittenSpan));
    }

    [Theory]
    [InlineData(0L, 0u, "D6FF00000000")] // timestamp 32
    [InlineData(4294967295L, 0u, "D6FFFFFFFFFF")] // timestamp 32, largest
    [InlineData(4294967296L, 0u, "D7FF0000000100000000")] // timestamp 64: seconds need 33 bits
    [InlineData(1L, 100u, "D7FF0000019000000001")] // timestamp 64: nanoseconds in the top 30 bits
    [InlineData(-1L, 0u, "C70CFF00000000FFFFFFFFFFFFFFFF")] // timestamp 96: before the epoch
    [InlineData(17179869184L, 0u, "C70CFF000000000000000400000000")] // timestamp 96: seconds need 35 bits
    public void WhenWritingATimestampThenItsSmallestFormIsUsed(long seconds, uint nanoseconds, string hex)
    {
        var writer = new MessagePackWriter();
        writer.WriteTimestamp(DateTimeOffset.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond + nanoseconds / 100));
        Assert.Equal(hex, Convert.ToHexString(writer.WrittenSpan));
        var reader = new MessagePackReader(writer.WrittenSpan);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond + nanoseconds / 100), reader.ReadTimestamp());
    }

    [Fact]
    public void WhenABinaryIsReservedThenItIsFilledInPlaceAndReadBackAsWritten()
    {
        var writer = new MessagePackWriter(4);
        writer.WriteArrayHeader(2);
        var body = writer.WriteBinaryHeaderAndGetSpan(300);
        for (int i = 0; i < body.Length; i++) body[i] = (byte)i;
        writer.WriteKey("after"u8);

        var reader = new MessagePackReader(writer.WrittenSpan);
        Assert.Equal(2, reader.ReadArrayHeader());
        var bin = reader.ReadBinary();
        Assert.Equal(300, bin.Length);
        Assert.Equal(unchecked((byte)299), bin[299]);
        Assert.Equal("after", reader.ReadString());
        Assert.True(reader.End);
    }

    [Fact]
    public void WhenTheWriterIsResetThenEncodingAnotherEventAllocatesNothing()
    {
        var e = SampleEvents.Create(channels: 4, samplesPerChannel: 10_000, seed: 1);
        var writer = new MessagePackWriter();
        EventCodec.Encode(e, writer); // grows the buffer once
        writer.Reset();
        EventCodec.Encode(e, writer); // and warms every path

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            writer.Reset();
            EventCodec.Encode(e, writer);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void WhenAStringHasAnUnpairedSurrogateThenWritingItIsAnArgumentError()
    {
        var writer = new MessagePackWriter();
        var error = Assert.Throws<ArgumentException>(() => writer.WriteString("ok\uD800"));
        Assert.Contains("unpaired surrogate", error.Message);
    }

    [Fact]
    public void WhenAValueOfAnUnsupportedTypeIsWrittenThenTheErrorNamesTheType()
    {
        var writer = new MessagePackWriter();
        var error = Assert.Throws<ArgumentException>(() => MessagePackValue.Write(writer, new Uri("http://example.org")));
        Assert.Contains("System.Uri", error.Message);
    }

    [Fact]
    public void WhenAValueContainsItselfThenWritingStopsAtTheDepthLimit()
    {
        var cycle = new List<object?>();
        cycle.Add(cycle);
        var error = Assert.Throws<ArgumentException>(() => MessagePackValue.Write(new MessagePackWriter(), cycle));
        Assert.Contains("deeper than 64", error.Message);
    }
}
