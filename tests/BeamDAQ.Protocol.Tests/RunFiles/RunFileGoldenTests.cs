using System.Text.Json;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Tests.RunFiles.Support;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Protocol.Tests.RunFiles;

/// <summary>
/// golden/golden-v01.bdq was written by an independent Python writer (golden/make_golden.py) and is regenerated
/// only when the messages it carries change (never the record layout): the C# writer must still produce it byte for
/// byte and both readers must still read it, so the file format cannot drift unnoticed.
/// </summary>
public sealed class RunFileGoldenTests : IDisposable
{
    private static readonly string GoldenFile = PythonScripts.TestFile("golden", "golden-v01.bdq");
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private sealed record ManifestRecord(long Offset, string Topic, uint Crc, byte[] Payload);

    private static List<ManifestRecord> Manifest()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(PythonScripts.TestFile("golden", "golden-v01.json")));
        return [.. json.RootElement.GetProperty("records").EnumerateArray().Select(r => new ManifestRecord(
            r.GetProperty("offset").GetInt64(), r.GetProperty("topic").GetString()!, r.GetProperty("crc").GetUInt32(),
            Convert.FromHexString(r.GetProperty("payload_hex").GetString()!)))];
    }

    [Fact]
    public void WhenTheWriterWritesTheGoldenRecordsThenItProducesTheGoldenFileByteForByte()
    {
        string path = _dir.File("rewritten.bdq");
        using (var writer = RunFileWriter.Create(path))
            foreach (var record in Manifest()) writer.Append(record.Topic, record.Payload);

        Assert.Equal(Convert.ToHexString(File.ReadAllBytes(GoldenFile)), Convert.ToHexString(File.ReadAllBytes(path)));
    }

    [Fact]
    public void WhenTheReaderReadsTheGoldenFileThenItDeliversTheManifestRecordsAndACleanEnd()
    {
        var manifest = Manifest();
        var contents = RunFileContents.Read(GoldenFile);

        Assert.Equal(manifest.Select(r => (r.Offset, r.Topic, Convert.ToHexString(r.Payload))),
            contents.Records.Select(r => (r.Offset, r.Topic, Convert.ToHexString(r.Payload))));
        Assert.All(manifest, r => Assert.Equal(r.Crc, Crc32C.Compute([(byte)r.Topic.Length, .. System.Text.Encoding.ASCII.GetBytes(r.Topic), .. r.Payload])));
        Assert.Equal(RunFileEndState.CleanEnd, contents.EndState);
        Assert.Contains("the last is run.end", contents.EndDescription);
    }

    [Fact]
    public void WhenTheGoldenPayloadsAreDecodedThenEveryTopicParsesWithTheProductionMessageTypes()
    {
        var contents = RunFileContents.Read(GoldenFile);
        var events = new List<DaqEvent>();
        foreach (var record in contents.Records)
        {
            if (record.Topic == Topics.Event)
            {
                var e = EventCodec.Decode(record.Payload);
                Assert.Equal(42u, e.Run);
                Assert.Equal(64, e.Channels[0].SampleCount);
                events.Add(e);
                continue;
            }
            var map = MessagePackValue.ReadMap(record.Payload);
            object parsed = record.Topic switch
            {
                Topics.RunBegin => RunBeginMessage.FromMap(map),
                Topics.RunEnd => RunEndMessage.FromMap(map),
                Topics.DaqStatus => DaqStatusMessage.FromMap(map),
                Topics.SlowControl => SlowControlMessage.FromMap(map),
                Topics.Fit => FitMessage.FromMap(map),
                Topics.Alarm => AlarmMessage.FromMap(map),
                _ => throw new InvalidOperationException($"unexpected topic {record.Topic}"),
            };
            Assert.NotNull(parsed);
        }
        // seq counts the records of every topic (run.begin, daq.status, then the events); tseq the events alone.
        Assert.Equal(new[] { (3ul, 1ul), (4ul, 2ul), (5ul, 3ul) }, events.Select(e => (e.Sequence, e.TopicSequence)));
        Assert.Equal(Enumerable.Range(1, contents.Records.Count).Select(i => (ulong)i),
            contents.Records.Select(r => MapMessage.ReadSequence(r.Payload)));
        var scan = RunFileScanner.Scan(GoldenFile);
        Assert.True(scan.IsComplete);
        Assert.Equal((1UL, 3UL), (scan.FirstTrigger!.Value, scan.LastTrigger!.Value));
    }

    [Fact]
    public void WhenPythonReadsTheGoldenFileThenItFindsTheManifestRecords()
    {
        using var summary = JsonDocument.Parse(PythonScripts.Check("summary", GoldenFile));
        var manifest = Manifest();
        Assert.Equal("CleanEnd", summary.RootElement.GetProperty("end_state").GetString());
        Assert.Equal(manifest.Select(r => (r.Offset, r.Topic)),
            summary.RootElement.GetProperty("records").EnumerateArray().Select(r => (r.GetProperty("offset").GetInt64(), r.GetProperty("topic").GetString()!)));
    }
}
