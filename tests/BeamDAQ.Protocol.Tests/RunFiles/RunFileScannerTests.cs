using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Tests.RunFiles.Support;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Protocol.Tests.RunFiles;

public sealed class RunFileScannerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteRun(string name, int events, bool withRunEnd, Action<RunFileWriter>? extra = null)
    {
        string path = _dir.File(name);
        using var writer = RunFileWriter.Create(path);
        writer.Append(Topics.RunBegin, RunFileMessages.RunBegin(run: 77));
        for (int trg = 1; trg <= events; trg++)
        {
            writer.Append(Topics.Event, RunFileMessages.Event(run: 77, trigger: (ulong)(trg + 10), samples: 32));
            if (trg % 4 == 0) writer.Append(Topics.DaqStatus, RunFileMessages.DaqStatus(77, (ulong)trg));
        }
        extra?.Invoke(writer);
        if (withRunEnd) writer.Append(Topics.RunEnd, RunFileMessages.RunEnd(77, (ulong)events));
        return path;
    }

    [Fact]
    public void WhenACompleteRunIsScannedThenCountsTriggersAndRunNumberAreReported()
    {
        string path = WriteRun("complete.bdq", events: 10, withRunEnd: true);

        var scan = RunFileScanner.Scan(path);

        Assert.Equal(new Dictionary<string, long> { ["run.begin"] = 1, ["evt"] = 10, ["daq.status"] = 2, ["run.end"] = 1 }, scan.RecordsByTopic);
        Assert.Equal(["run.begin", "evt", "daq.status", "run.end"], scan.RecordsByTopic.Keys);
        Assert.Equal(14, scan.Records);
        Assert.Equal(77UL, scan.Run);
        Assert.Equal(11UL, scan.FirstTrigger);
        Assert.Equal(20UL, scan.LastTrigger);
        Assert.Equal(0, scan.UndecodableEvents);
        Assert.True(scan.StartsWithRunBegin);
        Assert.True(scan.EndsWithRunEnd);
        Assert.True(scan.IsComplete);
        Assert.Equal(new FileInfo(path).Length, scan.ReadableBytes);
        Assert.Equal(path, scan.File);
    }

    [Fact]
    public void WhenARunWasCutShortThenTheScanSaysWhereAndKeepsTheWholeRecords()
    {
        string path = WriteRun("cut.bdq", events: 6, withRunEnd: false);
        long length = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(length - 5);

        var scan = RunFileScanner.Scan(path);

        Assert.Equal(RunFileEndState.TruncatedRecord, scan.EndState);
        Assert.False(scan.IsComplete);
        Assert.False(scan.EndsWithRunEnd);
        Assert.Equal(5, scan.RecordsByTopic["evt"]);
        Assert.Equal(15UL, scan.LastTrigger);
        Assert.Equal(scan.EndOffset, scan.ReadableBytes);
        Assert.Contains($"offset {scan.EndOffset}", scan.EndDescription);
    }

    [Fact]
    public void WhenAnEventPayloadIsNotAReadableMapThenItIsCountedAsUndecodable()
    {
        string path = WriteRun("odd.bdq", events: 3, withRunEnd: true, extra: w =>
        {
            w.Append(Topics.Event, [0xC1]);                              // never-used MessagePack byte
            w.Append(Topics.Event, MapMessage.EncodeToArray("evt", new Dictionary<string, object?> { ["trg"] = "seven" }, 1));
        });

        var scan = RunFileScanner.Scan(path);

        Assert.Equal(2, scan.UndecodableEvents);
        Assert.Equal(5, scan.RecordsByTopic["evt"]);
        Assert.Equal(13UL, scan.LastTrigger);
        Assert.True(scan.IsComplete);
    }

    [Fact]
    public void WhenScanningThenProgressEndsAtTheEndOffset()
    {
        string path = WriteRun("progress.bdq", events: 3, withRunEnd: true);
        var reports = new List<long>();
        RunFileScanner.Scan(path, new SynchronousProgress(reports.Add));
        Assert.Equal(new FileInfo(path).Length, reports[^1]);
    }

    [Fact]
    public void WhenTheFileIsNotARunFileThenTheScanReportsBadMagicWithNoRecords()
    {
        string path = _dir.File("not-a-run.bdq");
        File.WriteAllText(path, "hello, world");
        var scan = RunFileScanner.Scan(path);
        Assert.Equal(RunFileEndState.BadMagic, scan.EndState);
        Assert.Equal(0, scan.Records);
        Assert.Null(scan.FirstTrigger);
        Assert.False(scan.StartsWithRunBegin);
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
