using System.Buffers.Binary;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Tests.RunFiles.Support;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Protocol.Tests.RunFiles;

public sealed class RunFileWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static RunFileWriterOptions Manual(FakeClock clock) => new() { Clock = clock, IdleFlushTimer = false };

    [Fact]
    public void WhenRecordsAreWrittenThenTheReaderReturnsThemInOrderAtTheirOffsets()
    {
        string path = _dir.File("round-trip.bdq");
        var written = new List<(string Topic, byte[] Payload)>
        {
            ("run.begin", TestPayloads.Make(300, 1)), ("evt", TestPayloads.Make(2000, 2)), ("evt", []),
            ("daq.status", TestPayloads.Make(40, 3)), ("custom.topic-1", TestPayloads.Make(70_000, 4)), ("run.end", TestPayloads.Make(30, 5)),
        };
        TestPayloads.WriteFile(path, written);

        var contents = RunFileContents.Read(path);

        Assert.Equal(written.Select(r => r.Topic), contents.Records.Select(r => r.Topic));
        for (int i = 0; i < written.Count; i++) Assert.Equal(written[i].Payload, contents.Records[i].Payload);
        long offset = RunFileFormat.MagicLength;
        foreach (var record in contents.Records)
        {
            Assert.Equal(offset, record.Offset);
            offset += record.Length;
        }
        Assert.Equal(RunFileEndState.CleanEnd, contents.EndState);
        Assert.Equal(new FileInfo(path).Length, contents.EndOffset);
        Assert.Contains("the last is run.end", contents.EndDescription);
    }

    [Fact]
    public void WhenARecordIsWrittenThenItsBytesFollowTheDocumentedLayout()
    {
        string path = _dir.File("layout.bdq");
        byte[] payload = [0x81, 0xA1, 0x76, 0x01];
        byte[] file = TestPayloads.WriteFile(path, [("evt", payload)]);

        Assert.Equal("BDQRUN01"u8.ToArray(), file[..8]);
        Assert.Equal((uint)payload.Length, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8)));
        byte[] covered = [3, .. "evt"u8, .. payload];
        Assert.Equal(Crc32C.Compute(covered), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12)));
        Assert.Equal(covered, file[16..]);
        Assert.Equal(8 + 4 + 4 + 1 + 3 + payload.Length, file.Length);
    }

    [Fact]
    public void WhenTheFileExistsThenCreateThrowsIOExceptionNamingItAndLeavesItUntouched()
    {
        string path = _dir.File("existing.bdq");
        File.WriteAllText(path, "precious data");

        var e = Assert.Throws<IOException>(() => RunFileWriter.Create(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("never overwritten", e.Message);
        Assert.Equal("precious data", File.ReadAllText(path));
    }

    [Fact]
    public void WhenAWriterHasClosedThenASecondCreateOfTheSamePathFails()
    {
        string path = _dir.File("once.bdq");
        byte[] first = TestPayloads.WriteFile(path, [("evt", [1, 2, 3])]);

        Assert.Throws<IOException>(() => RunFileWriter.Create(path));
        Assert.Equal(first, File.ReadAllBytes(path));
    }

    [Fact]
    public void WhenTheDirectoryDoesNotExistThenTheErrorNamesTheDirectory()
    {
        string directory = Path.Combine(_dir.Path, "no-such-dir");
        var e = Assert.Throws<DirectoryNotFoundException>(() => RunFileWriter.Create(Path.Combine(directory, "run.bdq")));
        Assert.Contains($"directory '{directory}' does not exist", e.Message);
    }

    [Fact]
    public void WhenTheDirectoryIsNotWritableThenTheErrorNamesTheDirectory()
    {
        // Root ignores permission bits, but not sysfs, which accepts no new files from anyone.
        string directory = Environment.UserName == "root" ? "/sys" : _dir.File("read-only");
        if (directory != "/sys" && !OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        var e = Assert.Throws<UnauthorizedAccessException>(() => RunFileWriter.Create(Path.Combine(directory, "run.bdq")));

        Assert.Contains($"directory '{directory}' is not writable", e.Message);
    }

    [Fact]
    public void WhenCreatedThenTheMagicIsInTheFileAtOnce()
    {
        string path = _dir.File("magic.bdq");
        using var writer = RunFileWriter.Create(path, Manual(new FakeClock()));
        Assert.Equal("BDQRUN01"u8.ToArray(), ReadShared(path));
        Assert.Equal(8, writer.BytesWritten);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\t")]
    [InlineData("ünicode")]
    public void WhenTheTopicIsNotPrintableAsciiThenAppendRejectsItByName(string topic)
    {
        using var writer = RunFileWriter.Create(_dir.File("topic.bdq"));
        var e = Assert.Throws<ArgumentException>(() => writer.Append(topic, [1]));
        Assert.Contains($"'{topic}'", e.Message);
        Assert.Equal(0, writer.RecordsWritten);
    }

    [Fact]
    public void WhenTheTopicIsLongerThan255CharactersThenAppendRejectsIt()
    {
        using var writer = RunFileWriter.Create(_dir.File("long-topic.bdq"));
        Assert.Throws<ArgumentException>(() => writer.Append(new string('t', 256), [1]));
        writer.Append(new string('t', 255), [1]);
        Assert.Equal(1, writer.RecordsWritten);
    }

    [Fact]
    public void WhenThePayloadExceedsTheMaximumThenAppendRejectsItAndWritesNothing()
    {
        using var writer = RunFileWriter.Create(_dir.File("big.bdq"));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => writer.Append("evt", new byte[RunFileFormat.MaxPayloadLength + 1]));
        Assert.Contains(RunFileFormat.MaxPayloadLength.ToString(), e.Message);
        Assert.Equal(8, writer.BytesWritten);
    }

    [Fact]
    public void WhenRecordsAreYoungerThanTheFlushIntervalThenTheyWaitAndTheFirstAppendAfterItFlushesAll()
    {
        var clock = new FakeClock();
        string path = _dir.File("interval.bdq");
        using var writer = RunFileWriter.Create(path, Manual(clock));

        writer.Append("evt", [1]);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        writer.Append("evt", [2]);
        Assert.Equal(0, writer.RecordsFlushed);
        Assert.Equal(8, new FileInfo(path).Length);

        clock.Advance(TimeSpan.FromMilliseconds(500));
        writer.Append("evt", [3]);

        Assert.Equal(3, writer.RecordsFlushed);
        Assert.Equal(writer.BytesWritten, new FileInfo(path).Length);
    }

    [Fact]
    public void WhenTheWriterIsIdleThenItsTimerFlushesTheRecordOnceItIsDue()
    {
        var clock = new FakeClock();
        string path = _dir.File("idle.bdq");
        using var writer = RunFileWriter.Create(path, new RunFileWriterOptions { Clock = clock });
        writer.Append("evt", TestPayloads.Make(100, 1));
        Assert.Equal(8, new FileInfo(path).Length);

        clock.Advance(TimeSpan.FromSeconds(1));

        Eventually.True(() => new FileInfo(path).Length == writer.BytesWritten, TimeSpan.FromSeconds(10),
            () => $"file has {new FileInfo(path).Length} bytes, writer accepted {writer.BytesWritten}");
        Assert.Equal(1, writer.RecordsFlushed);
    }

    [Fact]
    public void WhenTheIdleCheckRunsBeforeTheRecordIsDueThenNothingIsWritten()
    {
        var clock = new FakeClock();
        using var writer = RunFileWriter.Create(_dir.File("not-due.bdq"), Manual(clock));
        writer.Append("evt", [1]);
        clock.Advance(TimeSpan.FromMilliseconds(850));
        writer.FlushIfDue();
        Assert.Equal(0, writer.RecordsFlushed);
        clock.Advance(TimeSpan.FromMilliseconds(50));
        writer.FlushIfDue();
        Assert.Equal(1, writer.RecordsFlushed);
    }

    [Fact]
    public void WhenFlushIsCalledThenEveryRecordIsInTheFile()
    {
        string path = _dir.File("flush.bdq");
        using var writer = RunFileWriter.Create(path, Manual(new FakeClock()));
        for (int i = 0; i < 10; i++) writer.Append("evt", TestPayloads.Make(50, i));
        writer.Flush();

        var contents = RunFileContents.Read(path);
        Assert.Equal(10, contents.Records.Count);
        Assert.Equal(10, writer.RecordsFlushed);
        Assert.Equal(RunFileEndState.CleanEnd, contents.EndState);
    }

    [Fact]
    public void WhenTheBufferFillsThenEveryWriteToTheOsHoldsWholeRecordsOnly()
    {
        var sink = new RecordingSink();
        var options = new RunFileWriterOptions { Clock = new FakeClock(), IdleFlushTimer = false, BufferSize = 4096 };
        using (var writer = RunFileWriter.CreateOver(sink, "recorded.bdq", options))
        {
            var random = new Random(3);
            for (int i = 0; i < 200; i++) writer.Append("evt", TestPayloads.Make(random.Next(0, i % 50 == 0 ? 20_000 : 900), i));
        }

        var boundaries = new HashSet<long> { 0, RunFileFormat.MagicLength };
        var contents = RunFileContents.Read(sink.Bytes.ToArray());
        foreach (var record in contents.Records) boundaries.Add(record.Offset + record.Length);
        Assert.Equal(200, contents.Records.Count);
        Assert.True(sink.Writes.Count > 10, $"expected many writes, got {sink.Writes.Count}");
        foreach (var (offset, length) in sink.Writes)
        {
            Assert.Contains(offset, boundaries);
            Assert.Contains(offset + length, boundaries);
        }
    }

    [Fact]
    public void WhenDisposedThenItSyncsAndFurtherAppendsThrow()
    {
        var sink = new RecordingSink();
        var writer = RunFileWriter.CreateOver(sink, "disposed.bdq", Manual(new FakeClock()));
        writer.Append("evt", [1, 2]);
        writer.Dispose();

        Assert.Equal(1, sink.Syncs);
        Assert.Equal(writer.BytesWritten, sink.Bytes.Length);
        Assert.Throws<ObjectDisposedException>(() => writer.Append("evt", [3]));
        writer.Dispose();
    }

    [Fact]
    public void WhenTheDiskFillsMidWriteThenTheFileKeepsItsWholeRecordsAndTheLossIsCounted()
    {
        string path = _dir.File("disk-full.bdq");
        var sink = new FillingDisk(path, capacity: 8 + 3 * (9 + 3 + 100) + 50);
        var writer = RunFileWriter.CreateOver(sink, path, Manual(new FakeClock()));
        for (int i = 0; i < 3; i++)
        {
            writer.Append("evt", TestPayloads.Make(100, i));
            writer.Flush();
        }
        writer.Append("evt", TestPayloads.Make(100, 3));

        var full = Assert.Throws<RunFileDiskFullException>(writer.Flush);

        Assert.Equal(path, full.Path);
        Assert.Equal(3, full.RecordsInFile);
        Assert.Equal(1, full.RecordsDropped);
        Assert.Equal(1, writer.RecordsDropped);
        Assert.Contains("disk full", full.Message);
        Assert.Equal(full.BytesInFile, new FileInfo(path).Length); // the partial record was cut off
        var afterFailure = RunFileContents.Read(path);
        Assert.Equal(RunFileEndState.CleanEnd, afterFailure.EndState);
        Assert.Equal(3, afterFailure.Records.Count);

        // Space comes back (the daq deleted something): run.end still makes it into the file.
        sink.Capacity = long.MaxValue;
        writer.Append("run.end", [0x80]);
        writer.Dispose();
        var final = RunFileContents.Read(path);
        Assert.Equal(["evt", "evt", "evt", "run.end"], final.Records.Select(r => r.Topic));
        Assert.Equal(RunFileEndState.CleanEnd, final.EndState);
    }

    [Fact]
    public void WhenABufferOfManyRecordsMeetsAFullDiskThenEveryWholeRecordThatFitsIsKeptAndTheLostAreCountedByTopic()
    {
        string path = _dir.File("disk-full-salvage.bdq");
        const int beginLength = 9 + 9 + 100, eventLength = 9 + 3 + 100;
        var sink = new FillingDisk(path, capacity: 8 + beginLength + 2 * eventLength + 50);
        var writer = RunFileWriter.CreateOver(sink, path, Manual(new FakeClock()));
        writer.Append("run.begin", TestPayloads.Make(100, 0));
        for (int i = 1; i <= 4; i++) writer.Append("evt", TestPayloads.Make(100, i));

        // One buffer of five records; the disk has room for three of them and part of a fourth.
        var full = Assert.Throws<RunFileDiskFullException>(writer.Flush);

        Assert.Equal(3, full.RecordsInFile);
        Assert.Equal(2, full.RecordsDropped);
        Assert.Equal(2, writer.RecordsDroppedWithTopic("evt"));
        Assert.Equal(0, writer.RecordsDroppedWithTopic("run.begin"));
        var contents = RunFileContents.Read(path);
        Assert.Equal(RunFileEndState.CleanEnd, contents.EndState);
        Assert.Equal(["run.begin", "evt", "evt"], contents.Records.Select(r => r.Topic));
        Assert.Equal(8 + beginLength + 2 * eventLength, new FileInfo(path).Length);

        // The next append meets the same full disk: it is counted as lost under its own topic.
        Assert.Throws<RunFileDiskFullException>(() => { writer.Append("evt", TestPayloads.Make(100, 5)); writer.Flush(); });
        Assert.Equal(3, writer.RecordsDroppedWithTopic("evt"));
        sink.Capacity = long.MaxValue;
        writer.Dispose();
    }

    [Fact]
    public void WhenTheIdleTimerMeetsAFullDiskThenTheNextAppendRaisesIt()
    {
        string path = _dir.File("disk-full-idle.bdq");
        var clock = new FakeClock();
        var sink = new FillingDisk(path, capacity: 8 + 20);
        using var writer = RunFileWriter.CreateOver(sink, path, Manual(clock));
        writer.Append("evt", TestPayloads.Make(100, 1));
        clock.Advance(TimeSpan.FromSeconds(1));

        writer.FlushIfDue(); // what the timer does: it has nobody to throw to

        var full = Assert.Throws<RunFileDiskFullException>(() => writer.Append("evt", [1]));
        Assert.Equal(2, full.RecordsDropped);
        Assert.Equal(8, new FileInfo(path).Length);
    }

    [Fact]
    public void WhenTheOsReportsNoSpaceThenCreateRaisesDiskFull()
    {
        // /dev/full answers every write with ENOSPC: the real error path of the OS, not a simulation.
        var handle = File.OpenHandle("/dev/full", FileMode.Open, FileAccess.Write);
        var e = Assert.Throws<RunFileDiskFullException>(() =>
            RunFileWriter.CreateOver(new FileRunFileSink(handle), "/dev/full", Manual(new FakeClock())));
        handle.Dispose();
        Assert.Equal("/dev/full", e.Path);
        Assert.Equal(0, e.RecordsInFile);
    }

    [Fact]
    public void WhenAReaderOpensAFileStillBeingWrittenThenItReadsTheFlushedRecords()
    {
        string path = _dir.File("live.bdq");
        using var writer = RunFileWriter.Create(path, Manual(new FakeClock()));
        writer.Append("run.begin", [0x80]);
        writer.Append("evt", [0x80]);
        writer.Flush();
        writer.Append("evt", [0x80]); // still in the buffer

        var contents = RunFileContents.Read(path);

        Assert.Equal(["run.begin", "evt"], contents.Records.Select(r => r.Topic));
        Assert.Equal(RunFileEndState.CleanEnd, contents.EndState);
        Assert.Contains("not run.end", contents.EndDescription);
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Keeps the bytes in memory and remembers every write and sync.</summary>
    private sealed class RecordingSink : IRunFileSink
    {
        public MemoryStream Bytes { get; } = new();
        public List<(long Offset, int Length)> Writes { get; } = [];
        public int Syncs { get; private set; }

        public void Write(ReadOnlySpan<byte> data, long offset)
        {
            Writes.Add((offset, data.Length));
            Bytes.Position = offset;
            Bytes.Write(data);
        }

        public void SetLength(long length) => Bytes.SetLength(length);
        public void FlushToDisk() => Syncs++;
        public void Dispose() { }
    }

    /// <summary>A real file on a "disk" of <see cref="Capacity"/> bytes: a write that does not fit puts what fits, then fails with ENOSPC like the OS.</summary>
    private sealed class FillingDisk(string path, long capacity) : IRunFileSink
    {
        private readonly FileRunFileSink _file = new(File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read));

        public long Capacity { get; set; } = capacity;

        public void Write(ReadOnlySpan<byte> data, long offset)
        {
            long room = Math.Max(0, Capacity - offset);
            _file.Write(data[..(int)Math.Min(room, data.Length)], offset);
            if (room < data.Length) throw new IOException($"No space left on device : '{path}'", 28);
        }

        public void SetLength(long length) => _file.SetLength(length);
        public void FlushToDisk() => _file.FlushToDisk();
        public void Dispose() => _file.Dispose();
    }
}
