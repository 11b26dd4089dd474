using System.Buffers.Binary;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Reliability.Tests.Support;

namespace BeamDAQ.Reliability.Tests.BadInput;

/// <summary>
/// Declared sizes that the bytes cannot back — 4 GB strings and bins, 2^32-element arrays and maps, a run-file
/// record of 4 GB, containers nested 60 deep each claiming the whole message — are rejected with an offset before
/// anything of that size is allocated.
/// </summary>
public sealed class OversizeInputTests
{
    /// <summary>Every hostile header, placed as the value of an extra key in an otherwise valid map prefix.</summary>
    public static TheoryData<string, byte[]> HugeHeaders => new()
    {
        { "str 32 of 4 GiB", [0xdb, 0xff, 0xff, 0xff, 0xff, (byte)'x'] },
        { "bin 32 of 4 GiB", [0xc6, 0xff, 0xff, 0xff, 0xff, 0x00] },
        { "ext 32 of 4 GiB", [0xc9, 0xff, 0xff, 0xff, 0xff, 0x05, 0x00] },
        { "array 32 of 2^32-1", [0xdd, 0xff, 0xff, 0xff, 0xff, 0x01] },
        { "array 32 of 2^31-1", [0xdd, 0x7f, 0xff, 0xff, 0xff, 0x01] },
        { "map 32 of 2^32-1", [0xdf, 0xff, 0xff, 0xff, 0xff, 0xa1, (byte)'k', 0x01] },
        { "str 16 of 64 KiB", [0xda, 0xff, 0xff, (byte)'x'] },
        { "bin 16 of 64 KiB", [0xc5, 0xff, 0xff, 0x00] },
    };

    [Theory]
    [MemberData(nameof(HugeHeaders))]
    public void WhenAValueDeclaresMoreBytesThanTheMessageHoldsThenEveryDecoderRejectsItWithItsOffsetBeforeAllocating(string what, byte[] header)
    {
        // {"v": 1, "seq": 1, "zzz": <header>, ...} — an extra key every decoder must skip; the header starts at a known offset.
        byte[] prefix = [0x84, 0xa1, (byte)'v', 0x01, 0xa3, (byte)'s', (byte)'e', (byte)'q', 0x01, 0xa3, (byte)'z', (byte)'z', (byte)'z'];
        byte[] payload = [.. prefix, .. header];
        var decoders = new (string Name, Action Decode)[]
        {
            ("MapMessage.Decode", () => MapMessage.Decode(payload)),
            ("EventCodec.Decode", () => EventCodec.Decode(payload)),
            ("RunEndMessage via map", () => RunEndMessage.FromMap(MapMessage.Decode(payload))),
            ("MessagePackReader.Skip", () => { var r = new MessagePackReader(payload); r.Skip(); }),
        };
        foreach (var (name, decode) in decoders)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<MessagePackFormatException>(decode);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(error.Offset == prefix.Length, $"{name}, {what}: offset {error.Offset}, expected {prefix.Length} ({error.Message})");
            Assert.True(allocated < 16 * 1024, $"{name}, {what}: allocated {allocated} bytes for a {payload.Length}-byte message");
            Assert.Contains("remain", error.Message);
        }
    }

    [Theory]
    [InlineData(0xdd, "arrays")]
    [InlineData(0xdf, "maps")]
    public void WhenNestedContainersEachClaimTheWholeMessageThenUntypedDecodingAllocatesInProportionToTheMessage(byte code, string what)
    {
        // 60 nested headers, each declaring as many elements as the bytes after it could hold: every level is
        // individually plausible, so only presizing from the count (not the count check) could blow up.
        const int length = 1 << 20;
        var payload = new byte[length];
        int position = 0;
        for (int level = 0; level < 60; level++)
        {
            payload[position] = code;
            int remaining = length - position - 5;
            uint count = code == 0xdd ? (uint)remaining : (uint)(remaining / 2);
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(position + 1), count);
            position += 5;
            if (code == 0xdf) { payload[position++] = 0xa0; } // each map's first key: ""; its value is the next level
        }
        // The rest is empty strings (0xa0): valid keys and values, far fewer than declared, so decoding fails at the end.
        payload.AsSpan(position).Fill(0xa0);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<MessagePackFormatException>(() =>
        {
            var reader = new MessagePackReader(payload);
            MessagePackValue.Read(ref reader);
        });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("unexpected end of data", error.Message);
        long allowed = 64L * length; // boxing and growing containers for ~1 M values; presizing 60 levels would take ~500 MB
        Assert.True(allocated < allowed, $"nested {what}: allocated {allocated / (1 << 20)} MiB decoding a 1 MiB message (allowed {allowed / (1 << 20)} MiB)");
    }

    [Fact]
    public void WhenAnEventDeclaresMoreThanFourChannelsOrAHugeSampleBinThenItIsRejectedNamingTheKey()
    {
        var valid = EventCodec.EncodeToArray(WireCorpus.Event(new Random(1), 1, 1, 4));
        var map = MessagePackValue.ReadMap(valid);
        var channels = (List<object?>)map["ch"]!;
        map["ch"] = new List<object?> { channels[0], channels[0], channels[0], channels[0], channels[0] };
        var writer = new MessagePackWriter();
        MessagePackValue.Write(writer, map);
        var five = Assert.Throws<MessagePackFormatException>(() => EventCodec.Decode(writer.WrittenSpan.ToArray()));
        Assert.Contains("'ch' has 5 channels; allowed 0–4", five.Message);

        // The sample bin of channel 1 claims 4 GiB.
        int bin = valid.AsSpan().IndexOf([(byte)0xa1, (byte)'s']) + 2;
        var huge = (byte[])valid.Clone();
        huge[bin] = 0xc6;
        BinaryPrimitives.WriteUInt32BigEndian(huge.AsSpan(bin + 1), uint.MaxValue);
        var error = Assert.Throws<MessagePackFormatException>(() => EventCodec.Decode(huge));
        Assert.Equal(bin, error.Offset);
        Assert.Contains("bin declares 4294967295 bytes", error.Message);
    }

    [Theory]
    [InlineData(uint.MaxValue)]
    [InlineData((uint)RunFileFormat.MaxPayloadLength + 1)]
    public void WhenARunFileRecordDeclaresAnOversizePayloadThenTheReaderStopsBeforeTouchingIt(uint declared)
    {
        using var dir = new TempDirectory();
        var seed = SeedRunFiles.Build(new Random(3), 1)[0];
        // The third record's length field is replaced; the first two records must still be delivered.
        var bytes = (byte[])seed.Bytes.Clone();
        long damagedAt = seed.Records[2].Offset;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)damagedAt), declared);
        string path = dir.File("oversize.bdq");
        File.WriteAllBytes(path, bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var scan = RunFileScanner.Scan(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(RunFileEndState.OversizeRecord, scan.EndState);
        Assert.Equal(damagedAt, scan.EndOffset);
        Assert.Equal(2, scan.Records);
        Assert.Contains($"declares a payload of {declared} bytes", scan.EndDescription);
        Assert.Contains($"at most {RunFileFormat.MaxPayloadLength}", scan.EndDescription);
        Assert.True(allocated < 1 << 20, $"scanning allocated {allocated} bytes");
    }
}
