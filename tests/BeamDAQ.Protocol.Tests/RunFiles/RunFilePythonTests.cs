using System.Security.Cryptography;
using System.Text.Json;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Tests.RunFiles.Support;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Protocol.Tests.RunFiles;

/// <summary>
/// Analysts read run files from Python with msgpack alone: these tests run the read_bdq.py example exactly as
/// docs/format.md prints it (Debian's /usr/bin/python3 and python3-msgpack) on files the C# writer produced.
/// </summary>
public sealed class RunFilePythonTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WhenPythonReadsAFileWrittenByCSharpThenTopicsOffsetsAndEveryDecodedValueMatch()
    {
        string path = _dir.File("for-python.bdq");
        var events = Enumerable.Range(1, 5).Select(t => RunFileMessages.EventOf(42, (ulong)t, samples: 64 + t)).ToList();
        using (var writer = RunFileWriter.Create(path))
        {
            writer.Append(Topics.RunBegin, RunFileMessages.RunBegin(42));
            foreach (var e in events) writer.Append(Topics.Event, EventCodec.EncodeToArray(e));
            writer.Append(Topics.DaqStatus, RunFileMessages.DaqStatus(42, 5));
            writer.Append(Topics.SlowControl, RunFileMessages.SlowControl());
            writer.Append(Topics.Alarm, RunFileMessages.Alarm());
            writer.Append(Topics.Fit, RunFileMessages.Fit(42));
            writer.Append(Topics.RunEnd, RunFileMessages.RunEnd(42, 5));
        }
        var expected = RunFileContents.Read(path);

        using var summary = JsonDocument.Parse(PythonScripts.Check("summary", path));

        var root = summary.RootElement;
        Assert.Equal("CleanEnd", root.GetProperty("end_state").GetString());
        Assert.Equal(new FileInfo(path).Length, root.GetProperty("end_offset").GetInt64());
        var records = root.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(expected.Records.Select(r => (r.Offset, r.Topic, Convert.ToHexStringLower(SHA256.HashData(r.Payload)))),
            records.Select(r => (r.GetProperty("offset").GetInt64(), r.GetProperty("topic").GetString()!, r.GetProperty("sha256").GetString()!)));

        // Values as Python's msgpack decoded them, against what C# encoded.
        var begin = records[0].GetProperty("message");
        Assert.Equal(42, begin.GetProperty("run").GetInt64());
        Assert.Equal("0.1.0", begin.GetProperty("software").GetString());
        Assert.Equal("µ-test ünïcode", begin.GetProperty("meta").GetProperty("comment").GetString());
        Assert.Equal(14, begin.GetProperty("config").GetProperty("digitizer").GetProperty("resolution_bits").GetInt64());
        for (int i = 0; i < events.Count; i++)
        {
            var m = records[1 + i].GetProperty("message");
            var e = events[i];
            Assert.Equal(1, m.GetProperty("v").GetInt64());
            Assert.Equal(e.Run, m.GetProperty("run").GetUInt32());
            Assert.Equal(e.Trigger, m.GetProperty("trg").GetUInt64());
            Assert.Equal(e.TimeNs, m.GetProperty("t_ns").GetInt64());
            Assert.Equal((uint)e.Flags, m.GetProperty("flags").GetUInt32());
            Assert.Equal(e.SampleRate, m.GetProperty("fs").GetDouble());
            Assert.Equal(e.PreSamples, m.GetProperty("pre").GetUInt32());
            var channels = m.GetProperty("ch").EnumerateArray().ToList();
            Assert.Equal(e.Channels.Count, channels.Count);
            for (int c = 0; c < channels.Count; c++)
            {
                Assert.Equal(e.Channels[c].Id, channels[c].GetProperty("id").GetInt32());
                Assert.Equal(e.Channels[c].Lsb, channels[c].GetProperty("lsb").GetDouble());
                Assert.Equal(e.Channels[c].Offset, channels[c].GetProperty("off").GetDouble());
                Assert.Equal(e.Channels[c].Samples.ToArray(), channels[c].GetProperty("samples").EnumerateArray().Select(s => s.GetInt16()));
            }
        }
        var end = records[^1].GetProperty("message");
        Assert.Equal("disk full", end.GetProperty("reason").GetString());
        Assert.Equal(5, end.GetProperty("events").GetInt64());
        Assert.Equal("warning", records[^3].GetProperty("message").GetProperty("severity").GetString());
        Assert.Equal(1.234, records[^2].GetProperty("message").GetProperty("lambda").GetDouble());
    }

    public static TheoryData<string> Damage => ["truncate", "crc", "oversize", "version"];

    [Theory]
    [MemberData(nameof(Damage))]
    public void WhenTheFileIsDamagedThenPythonStopsWhereAndWhyTheCSharpReaderStops(string damage)
    {
        string path = _dir.File($"damaged-{damage}.bdq");
        byte[] file = TestPayloads.WriteFile(path, Enumerable.Range(0, 4).Select(i => ("evt", RunFileMessages.Event(1, (ulong)i + 1, 16))));
        int second = 8 + file[8] + (file[9] << 8) + 9 + 3;
        switch (damage)
        {
            case "truncate": file = file[..^7]; break;
            case "crc": file[second + 20] ^= 0x10; break;
            case "oversize": file[second + 3] = 0xF0; break;
            case "version": file[7] = (byte)'2'; break;
        }
        File.Delete(path);
        File.WriteAllBytes(path, file);
        var expected = RunFileContents.Read(path);

        using var summary = JsonDocument.Parse(PythonScripts.Check("summary", path));

        Assert.Equal(expected.EndState.ToString(), summary.RootElement.GetProperty("end_state").GetString());
        Assert.Equal(expected.EndOffset, summary.RootElement.GetProperty("end_offset").GetInt64());
        Assert.Equal(expected.Records.Count, summary.RootElement.GetProperty("records").GetArrayLength());
    }

    [Fact]
    public void WhenTheDocExampleRunsAsAScriptThenItPrintsCountsTriggersAndTheEndState()
    {
        string path = _dir.File("script.bdq");
        using (var writer = RunFileWriter.Create(path))
        {
            writer.Append(Topics.RunBegin, RunFileMessages.RunBegin(9));
            for (ulong t = 1; t <= 3; t++) writer.Append(Topics.Event, RunFileMessages.Event(9, t, 8));
            writer.Append(Topics.RunEnd, RunFileMessages.RunEnd(9, 3));
        }

        var (exitCode, stdout, stderr) = PythonScripts.Run([PythonScripts.DocExampleScript, path]);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("evt: 3 records", stdout);
        Assert.Contains("triggers 1..3", stdout);
        Assert.Contains("end: CleanEnd", stdout);
    }
}
