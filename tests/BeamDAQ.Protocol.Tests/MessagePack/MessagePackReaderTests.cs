using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Tests.MessagePack;

public sealed class MessagePackReaderTests
{
    [Fact]
    public void WhenEachWriteIsReadBackThenTheSameValuesAndTypesComeOut()
    {
        var writer = new MessagePackWriter();
        writer.WriteNil();
        writer.WriteBoolean(true);
        writer.WriteInt64(-70_000);
        writer.WriteUInt64(ulong.MaxValue);
        writer.WriteSingle(1.5f);
        writer.WriteDouble(-2.25);
        writer.WriteString("λ = 2.3");
        writer.WriteStringUtf8("raw"u8);
        writer.WriteBinary([1, 2, 3]);
        writer.WriteArrayHeader(0);
        writer.WriteMapHeader(0);
        writer.WriteExtension(5, [9, 9, 9]);

        var reader = new MessagePackReader(writer.WrittenSpan);
        Assert.Equal(MessagePackType.Nil, reader.NextType);
        Assert.True(reader.TryReadNil());
        Assert.False(reader.TryReadNil());
        Assert.True(reader.ReadBoolean());
        Assert.Equal(-70_000, reader.ReadInt64());
        Assert.Equal(ulong.MaxValue, reader.ReadUInt64());
        Assert.Equal(MessagePackType.Float, reader.NextType);
        Assert.Equal(1.5f, reader.ReadSingle());
        Assert.Equal(-2.25, reader.ReadDouble());
        Assert.Equal("λ = 2.3", reader.ReadString());
        Assert.True(reader.ReadStringUtf8().SequenceEqual("raw"u8));
        Assert.Equal([1, 2, 3], reader.ReadBinary().ToArray());
        Assert.Equal(0, reader.ReadArrayHeader());
        Assert.Equal(0, reader.ReadMapHeader());
        Assert.Equal([9, 9, 9], reader.ReadExtension(out sbyte type).ToArray());
        Assert.Equal(5, type);
        Assert.True(reader.End);
    }

    [Fact]
    public void WhenADoubleIsExpectedThenFloat32AndIntegersAreAccepted()
    {
        var writer = new MessagePackWriter();
        writer.WriteSingle(0.5f);
        writer.WriteInt64(-3);
        writer.WriteUInt64(ulong.MaxValue);
        var reader = new MessagePackReader(writer.WrittenSpan);
        Assert.Equal(0.5, reader.ReadDouble());
        Assert.Equal(-3.0, reader.ReadDouble());
        Assert.Equal(18446744073709551615.0, reader.ReadDouble());
    }

    [Fact]
    public void WhenAnUnsignedValueAboveInt64MaxIsReadAsInt64ThenTheErrorSaysItDoesNotFit()
    {
        var writer = new MessagePackWriter();
        writer.WriteUInt64(ulong.MaxValue);
        var error = Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(writer.WrittenSpan).ReadInt64());
        Assert.Equal(0, error.Offset);
        Assert.Contains("18446744073709551615", error.Message);
    }

    [Fact]
    public void WhenANegativeValueIsReadAsUnsignedThenItIsAFormatError()
    {
        var error = Assert.Throws<MessagePackFormatException>(() => new MessagePackReader([0xd0, 0x80]).ReadUInt64());
        Assert.Contains("-128", error.Message);
        Assert.Contains("unsigned", error.Message);
    }

    [Fact]
    public void WhenTheTypeIsWrongThenTheErrorNamesWhatWasExpectedWhatWasFoundAndWhere()
    {
        var writer = new MessagePackWriter();
        writer.WriteArrayHeader(2);
        writer.WriteInt64(1);
        writer.WriteString("not a number");
        var error = Assert.Throws<MessagePackFormatException>(() =>
        {
            var reader = new MessagePackReader(writer.WrittenSpan);
            reader.ReadArrayHeader();
            reader.ReadInt64();
            reader.ReadInt64();
        });
        Assert.Equal(2, error.Offset);
        Assert.Contains("expected an integer, found fixstr (0xac)", error.Message);
        Assert.Contains("offset 2", error.Message);
    }

    [Fact]
    public void WhenAStrIsNotValidUtf8ThenReadStringIsAFormatError()
    {
        var error = Assert.Throws<MessagePackFormatException>(() => new MessagePackReader([0xa2, 0xc3, 0x28]).ReadString());
        Assert.Contains("not valid UTF-8", error.Message);
    }

    [Fact]
    public void WhenTheNeverUsedFormatByteAppearsThenReadingAndSkippingFail()
    {
        Assert.Equal(MessagePackType.Unused, new MessagePackReader([0xc1]).NextType);
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader([0xc1]).Skip());
        Assert.Throws<MessagePackFormatException>(() =>
        {
            var reader = new MessagePackReader([0x91, 0xc1]);
            return MessagePackValue.Read(ref reader);
        });
    }

    [Fact]
    public void WhenSkippingThenTheReaderLandsExactlyAfterTheValue()
    {
        var writer = new MessagePackWriter();
        MessagePackValue.Write(writer, new Dictionary<string, object?>
        {
            ["a"] = new List<object?> { 1L, "two", new byte[300], new Dictionary<string, object?> { ["x"] = 1.5 } },
            ["ts"] = DateTimeOffset.UnixEpoch,
        });
        int end = writer.Length;
        writer.WriteKey("next"u8);

        var reader = new MessagePackReader(writer.WrittenSpan);
        reader.Skip();
        Assert.Equal(end, reader.Position);
        Assert.Equal("next", reader.ReadString());
    }

    [Fact]
    public void WhenATimestampHasNanosecondsBelowATickThenTheyAreTruncatedToTheTick()
    {
        // Python: msgpack.packb(msgpack.Timestamp(0, 123456789)) — 64-bit form, ns in the top 30 bits.
        byte[] bytes = [0xd7, 0xff, .. BitConverter.GetBytes((ulong)123_456_789 << 34).Reverse()];
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(1_234_567), new MessagePackReader(bytes).ReadTimestamp());
    }

    [Fact]
    public void WhenATimestampHasNanosecondsOfOneSecondOrMoreThenItIsAFormatError()
    {
        byte[] bytes = [0xd7, 0xff, .. BitConverter.GetBytes((ulong)1_000_000_000 << 34).Reverse()];
        var error = Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).ReadTimestamp());
        Assert.Contains("nanoseconds", error.Message);
    }

    [Fact]
    public void WhenATimestampLiesBeyondYear9999ThenItIsAFormatErrorNotAnOverflow()
    {
        var writer = new MessagePackWriter();
        Span<byte> data = stackalloc byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(data[4..], long.MaxValue);
        writer.WriteExtension(-1, data);
        var error = Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(writer.WrittenSpan).ReadTimestamp());
        Assert.Contains("years 1–9999", error.Message);
    }

    [Fact]
    public void WhenAMapHasANonStringKeyThenReadingItAsAValueNamesTheKeyType()
    {
        var error = Assert.Throws<MessagePackFormatException>(() => MessagePackValue.ReadMap([0x81, 0x01, 0x02]));
        Assert.Equal(1, error.Offset);
        Assert.Contains("only str keys", error.Message);
    }

    [Fact]
    public void WhenAMapPayloadHasTrailingBytesThenReadMapReportsThem()
    {
        var error = Assert.Throws<MessagePackFormatException>(() => MessagePackValue.ReadMap([0x80, 0xc0]));
        Assert.Equal(1, error.Offset);
    }

    [Fact]
    public void WhenReadingUntypedValuesThenIntegersAreLongUnlessAboveInt64Max()
    {
        var writer = new MessagePackWriter();
        MessagePackValue.Write(writer, new object?[] { (byte)1, uint.MaxValue, long.MaxValue, ulong.MaxValue, 2.5f });
        var reader = new MessagePackReader(writer.WrittenSpan);
        var list = Assert.IsType<List<object?>>(MessagePackValue.Read(ref reader));
        Assert.Equal([1L, (long)uint.MaxValue, long.MaxValue, ulong.MaxValue, 2.5], list);
    }
}
