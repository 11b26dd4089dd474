using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Tests.MessagePack;

/// <summary>Inputs built to hurt: absurd declared lengths, deep nesting, truncation at every byte.</summary>
public sealed class HostileInputTests
{
    public static TheoryData<string, byte[]> HugeDeclarations => new()
    {
        { "str 32", [0xdb, 0xff, 0xff, 0xff, 0xff] },
        { "bin 32", [0xc6, 0xff, 0xff, 0xff, 0xff] },
        { "ext 32", [0xc9, 0xff, 0xff, 0xff, 0xff, 0x01] },
        { "array 32", [0xdd, 0xff, 0xff, 0xff, 0xff] },
        { "map 32", [0xdf, 0xff, 0xff, 0xff, 0xff] },
        { "str 16", [0xda, 0xff, 0xff] },
        { "array 16", [0xdc, 0xff, 0xff] },
    };

    [Theory]
    [MemberData(nameof(HugeDeclarations))]
    public void WhenAHeaderDeclaresMoreThanTheMessageHoldsThenItIsAFormatErrorAtItsOffsetBeforeAnyAllocation(string family, byte[] header)
    {
        // A 100-byte message whose second value claims up to 4 GB.
        var message = new byte[100];
        message[0] = 0x92; // fixarray of 2
        message[1] = 0x01;
        header.CopyTo(message, 2);

        var reader = new MessagePackReader(message);
        reader.ReadArrayHeader();
        reader.ReadInt64();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Record.Exception(() =>
        {
            var r = new MessagePackReader(message);
            MessagePackValue.Read(ref r);
        });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var format = Assert.IsType<MessagePackFormatException>(error);
        Assert.Equal(2, format.Offset);
        Assert.Contains("remain", format.Message);
        Assert.True(allocated < 16 * 1024, $"{family}: allocated {allocated} bytes before rejecting the header");
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(message.AsSpan(2)).Skip());
    }

    [Fact]
    public void WhenContainersNestExactlyToTheLimitThenReadAndSkipAccept()
    {
        byte[] bytes = [.. Enumerable.Repeat((byte)0x91, MessagePackReader.MaxDepth - 1), 0x90];
        var reader = new MessagePackReader(bytes);
        Assert.NotNull(MessagePackValue.Read(ref reader));
        reader = new MessagePackReader(bytes);
        reader.Skip();
        Assert.True(reader.End);
    }

    [Fact]
    public void WhenContainersNestBeyondTheLimitThenReadAndSkipFailWithoutOverflowingTheStack()
    {
        // 100,000 nested one-element arrays would overflow a recursive reader's stack.
        byte[] bytes = [.. Enumerable.Repeat((byte)0x91, 100_000), 0xc0];
        var readError = Assert.Throws<MessagePackFormatException>(() =>
        {
            var reader = new MessagePackReader(bytes);
            return MessagePackValue.Read(ref reader);
        });
        Assert.Equal(MessagePackReader.MaxDepth, readError.Offset);
        var skipError = Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).Skip());
        Assert.Equal(MessagePackReader.MaxDepth, skipError.Offset);
        Assert.Contains("deeper than 64", skipError.Message);
    }

    [Fact]
    public void WhenAValidMessageIsTruncatedAtAnyByteThenEveryReaderReportsAFormatErrorInsideTheMessage()
    {
        var e = Support.SampleEvents.Create(channels: 2, samplesPerChannel: 40, seed: 5);
        var writer = new MessagePackWriter();
        EventCodec.Encode(e, writer);
        byte[] full = writer.WrittenSpan.ToArray();

        for (int length = 0; length < full.Length; length++)
        {
            var prefix = full.AsMemory(0, length);
            var valueError = Assert.Throws<MessagePackFormatException>(() =>
            {
                var reader = new MessagePackReader(prefix.Span);
                return MessagePackValue.Read(ref reader);
            });
            Assert.InRange(valueError.Offset, 0, length);
            var eventError = Assert.Throws<MessagePackFormatException>(() => EventCodec.Decode(prefix));
            Assert.InRange(eventError.Offset, 0, length);
        }
    }
}
