using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Reliability.Tests.Support;

namespace BeamDAQ.Reliability.Tests.BadInput;

/// <summary>
/// Input written by a newer (or unknown) BeamDAQ is refused with a clear error, never read as if it were this
/// version: run files with another magic (BDQRUN02), and maps of every topic carrying a future schema version <c>v</c>.
/// </summary>
public sealed class FutureVersionTests
{
    [Theory]
    [InlineData("BDQRUN02", "file version 02 is not supported")]
    [InlineData("BDQRUN99", "file version 99 is not supported")]
    [InlineData("BDQRUNxx", "not a BeamDAQ run file")]
    [InlineData("PK\u0003\u0004zip!", "not a BeamDAQ run file")]
    public void WhenARunFileHasAnotherMagicThenReadingStopsAtOffsetZeroSayingWhichVersionItFound(string magic, string expected)
    {
        using var dir = new TempDirectory();
        var seed = SeedRunFiles.Build(new Random(4), 1)[0];
        var bytes = (byte[])seed.Bytes.Clone();
        System.Text.Encoding.Latin1.GetBytes(magic).CopyTo(bytes, 0);
        string path = dir.File("other-version.bdq");
        File.WriteAllBytes(path, bytes);

        var scan = RunFileScanner.Scan(path);

        Assert.Equal(RunFileEndState.BadMagic, scan.EndState);
        Assert.Equal(0, scan.EndOffset);
        Assert.Equal(0, scan.Records);
        Assert.Contains(expected, scan.EndDescription);
        Assert.Contains("BDQRUN01", scan.EndDescription);
    }

    [Fact]
    public void WhenAnEventCarriesAFutureSchemaVersionThenTheCodecRefusesItNamingBothVersions()
    {
        var map = MessagePackValue.ReadMap(EventCodec.EncodeToArray(WireCorpus.Event(new Random(2), 1, 1, 8)));
        map["v"] = 2L;
        var error = Assert.Throws<MessagePackFormatException>(() => EventCodec.Decode(Encode(map)));
        Assert.Contains("v=2 is not supported", error.Message);
        Assert.Contains($"knows v={SchemaVersion.Current}", error.Message);
    }

    public static TheoryData<string> MapTopics => new() { Topics.RunBegin, Topics.RunEnd, Topics.DaqStatus, Topics.SlowControl, Topics.Fit, Topics.Alarm };

    [Theory]
    [MemberData(nameof(MapTopics))]
    public void WhenAMapMessageCarriesAFutureSchemaVersionThenFromMapRefusesItInsteadOfReadingItAsTheCurrentOne(string topic)
    {
        var seed = WireCorpus.Build(new Random(6), perTopic: 1).Single(m => m.Topic == topic);
        var map = MapMessage.Decode(seed.Payload);
        Assert.NotNull(WireDecoding.FromMap(topic, map)); // the current version reads

        map["v"] = 2L;
        var error = Assert.Throws<FormatException>(() => WireDecoding.FromMap(topic, MapMessage.Decode(Encode(map))));
        Assert.Equal($"{topic} map: schema version v=2 is not supported (this reader knows v={SchemaVersion.Current})", error.Message);

        map["v"] = "1";
        var wrongType = Assert.Throws<FormatException>(() => WireDecoding.FromMap(topic, MapMessage.Decode(Encode(map))));
        Assert.Contains("key 'v'", wrongType.Message);
    }

    private static byte[] Encode(Dictionary<string, object?> map)
    {
        var writer = new MessagePackWriter();
        MessagePackValue.Write(writer, map);
        return writer.WrittenSpan.ToArray();
    }
}
