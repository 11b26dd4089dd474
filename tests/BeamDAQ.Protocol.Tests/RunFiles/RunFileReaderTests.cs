using System.Buffers.Binary;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Tests.RunFiles.Support;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Protocol.Tests.RunFiles;

public sealed class RunFileReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Three records; the last one large enough that a damaged length or topic length of the middle one still lands inside the file.</summary>
    private byte[] ThreeRecordFile(out long middleOffset, out int middleTopicLength, out int middlePayloadLength)
    {
        byte[] file = TestPayloads.WriteFile(_dir.File($"three-{Guid.NewGuid():N}.bdq"),
            [("run.begin", TestPayloads.Make(40, 1)), ("evt", TestPayloads.Make(64, 2)), ("run.end", TestPayloads.Make(1200, 3))]);
        middleOffset = 8 + 9 + "run.begin".Length + 40;
        middleTopicLength = 3;
        middlePayloadLength = 64;
        return file;
    }

    [Fact]
    public void WhenOneByteOfTheCrcTopicLengthTopicOrPayloadIsFlippedThenReadingStopsWithCrcMismatchAtThatRecord()
    {
        byte[] original = ThreeRecordFile(out long middle, out int topicLength, out int payloadLength);
        var regions = new List<(string Region, long Offset)>();
        for (int i = 0; i < 4; i++) regions.Add(("crc", middle + 4 + i));
        regions.Add(("topic length", middle + 8));
        for (int i = 0; i < topicLength; i++) regions.Add(("topic", middle + 9 + i));
        for (int i = 0; i < payloadLength; i++) regions.Add(("payload", middle + 9 + topicLength + i));

        foreach (var (region, offset) in regions)
            foreach (byte mask in new byte[] { 0x01, 0x80, 0xFF })
            {
                byte[] damaged = (byte[])original.Clone();
                damaged[offset] ^= mask;

                var contents = RunFileContents.Read(damaged);

                string what = $"{region} byte at {offset} ^ 0x{mask:X2}";
                Assert.True(RunFileEndState.CrcMismatch == contents.EndState, $"{what}: {contents.EndState} {contents.EndDescription}");
                Assert.Equal(middle, contents.EndOffset);
                Assert.Equal(["run.begin"], contents.Records.Select(r => r.Topic));
                Assert.Contains($"offset {middle}", contents.EndDescription);
            }
    }

    [Fact]
    public void WhenALengthByteIsFlippedThenReadingStopsAtThatRecordWithTheStateTheNewLengthImplies()
    {
        // The CRC does not cover the length field: a damaged length shows as a CRC mismatch (the CRC is taken
        // over the wrong bytes), as a record running past the end of the file, or as an oversize record.
        byte[] original = ThreeRecordFile(out long middle, out int topicLength, out _);
        for (int i = 0; i < 4; i++)
            foreach (byte mask in new byte[] { 0x01, 0x02, 0x80, 0xFF })
            {
                byte[] damaged = (byte[])original.Clone();
                damaged[middle + i] ^= mask;
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(damaged.AsSpan((int)middle));
                long end = middle + 9 + topicLength + (long)length;
                var expected = length > RunFileFormat.MaxPayloadLength ? RunFileEndState.OversizeRecord
                    : end > damaged.Length ? RunFileEndState.TruncatedRecord
                    : RunFileEndState.CrcMismatch;

                var contents = RunFileContents.Read(damaged);

                Assert.True(expected == contents.EndState, $"length byte {i} ^ 0x{mask:X2} (length {length}): {contents.EndState} {contents.EndDescription}");
                Assert.Equal(middle, contents.EndOffset);
                Assert.Equal(["run.begin"], contents.Records.Select(r => r.Topic));
            }
    }

    [Fact]
    public void WhenTheLengthIsOffByOneThenTheCrcCatchesIt()
    {
        byte[] damaged = ThreeRecordFile(out long middle, out _, out _);
        damaged[middle] ^= 0x01;
        var contents = RunFileContents.Read(damaged);
        Assert.Equal(RunFileEndState.CrcMismatch, contents.EndState);
        Assert.Equal(middle, contents.EndOffset);
    }

    [Fact]
    public void WhenTheFileIsCutAtEveryByteOffsetThenExactlyTheWholeRecordsBeforeTheCutAreRecovered()
    {
        var written = Enumerable.Range(0, 6).Select(i => (Topic: i == 0 ? "run.begin" : i == 5 ? "run.end" : "evt", Payload: TestPayloads.Make(i * 7, i))).ToList();
        byte[] file = TestPayloads.WriteFile(_dir.File("cut.bdq"), written);
        var full = RunFileContents.Read(file);
        var ends = full.Records.Select(r => r.Offset + r.Length).ToList();

        for (int cut = 0; cut <= file.Length; cut++)
        {
            var contents = RunFileContents.Read(file[..cut]);

            int whole = ends.Count(end => end <= cut);
            Assert.Equal(full.Records.Take(whole).Select(r => (r.Offset, r.Topic, Convert.ToHexString(r.Payload))),
                contents.Records.Select(r => (r.Offset, r.Topic, Convert.ToHexString(r.Payload))));
            if (cut < 8)
            {
                Assert.Equal(RunFileEndState.TruncatedHeader, contents.EndState);
                Assert.Equal(0, contents.EndOffset);
            }
            else if (cut == 8 || ends.Contains(cut))
            {
                Assert.Equal(RunFileEndState.CleanEnd, contents.EndState);
                Assert.Equal(cut, contents.EndOffset);
            }
            else
            {
                Assert.Equal(RunFileEndState.TruncatedRecord, contents.EndState);
                Assert.Equal(whole == 0 ? 8 : ends[whole - 1], contents.EndOffset);
            }
        }
    }

    [Fact]
    public void WhenFilesOnDiskAreCutShortThenTheMappedReaderRecoversTheSameRecords()
    {
        byte[] file = TestPayloads.WriteFile(_dir.File("cut-source.bdq"),
            Enumerable.Range(0, 5).Select(i => ("evt", TestPayloads.Make(100 * i, i))));
        for (int cut = 0; cut <= file.Length; cut += 37)
        {
            string path = _dir.File($"cut-{cut}.bdq");
            File.WriteAllBytes(path, file[..cut]);
            var fromDisk = RunFileContents.Read(path);
            var fromMemory = RunFileContents.Read(file[..cut]);
            Assert.Equal(fromMemory.Records.Select(r => r.Offset), fromDisk.Records.Select(r => r.Offset));
            Assert.Equal((fromMemory.EndState, fromMemory.EndOffset), (fromDisk.EndState, fromDisk.EndOffset));
        }
    }

    [Fact]
    public void WhenTheFileIsAFutureVersionThenBadMagicSaysTheVersionIsNotSupported()
    {
        byte[] file = TestPayloads.WriteFile(_dir.File("v2.bdq"), [("evt", [1])]);
        file[7] = (byte)'2';

        var contents = RunFileContents.Read(file);

        Assert.Equal(RunFileEndState.BadMagic, contents.EndState);
        Assert.Equal(0, contents.EndOffset);
        Assert.Empty(contents.Records);
        Assert.Contains("file version 02 is not supported", contents.EndDescription);
        Assert.Contains("BDQRUN02", contents.EndDescription);
        Assert.Contains("BDQRUN01", contents.EndDescription);
    }

    [Fact]
    public void WhenTheFileIsNotARunFileThenBadMagicShowsTheBytesFoundAndExpected()
    {
        byte[] zip = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00];
        var contents = RunFileContents.Read(zip);
        Assert.Equal(RunFileEndState.BadMagic, contents.EndState);
        Assert.Contains("not a BeamDAQ run file", contents.EndDescription);
        Assert.Contains("504B0304", contents.EndDescription);
        Assert.Contains("'BDQRUN01'", contents.EndDescription);
    }

    [Theory]
    [InlineData("")]
    [InlineData("BDQ")]
    [InlineData("BDQRUN0")]
    public void WhenTheFileEndsInsideTheMagicThenTheStateIsTruncatedHeader(string start)
    {
        string path = _dir.File("short.bdq");
        File.WriteAllText(path, start);
        var contents = RunFileContents.Read(path);
        Assert.Equal(RunFileEndState.TruncatedHeader, contents.EndState);
        Assert.Contains($"only {start.Length} bytes", contents.EndDescription);
    }

    [Fact]
    public void WhenAShortFileIsNotAPrefixOfTheMagicThenTheStateIsBadMagic()
    {
        var contents = RunFileContents.Read("XYZ"u8.ToArray());
        Assert.Equal(RunFileEndState.BadMagic, contents.EndState);
    }

    [Fact]
    public void WhenTheFileHoldsOnlyTheMagicThenItEndsCleanlyWithNoRecords()
    {
        var contents = RunFileContents.Read("BDQRUN01"u8.ToArray());
        Assert.Equal(RunFileEndState.CleanEnd, contents.EndState);
        Assert.Equal(8, contents.EndOffset);
        Assert.Contains("no records", contents.EndDescription);
    }

    [Fact]
    public void WhenARecordDeclaresAHugeLengthThenItIsRejectedBeforeAnyAllocation()
    {
        byte[] file = [.. "BDQRUN01"u8, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 3, .. "evt"u8, 1, 2, 3];
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var reader = RunFileReader.FromMemory(file);
        Assert.False(reader.TryRead(out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(RunFileEndState.OversizeRecord, reader.EndState);
        Assert.Equal(8, reader.EndOffset);
        Assert.Contains("4294967295", reader.EndDescription);
        Assert.Contains(RunFileFormat.MaxPayloadLength.ToString(), reader.EndDescription);
        Assert.True(allocated < 16 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void WhenARecordHasAGoodCrcButAnUnprintableTopicThenTheStateIsInvalidTopic()
    {
        byte[] body = [2, (byte)'a', (byte)' ', 0x90];
        byte[] file = [.. "BDQRUN01"u8, 1, 0, 0, 0, 0, 0, 0, 0, .. body];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(12), Crc32C.Compute(body));

        var contents = RunFileContents.Read(file);

        Assert.Equal(RunFileEndState.InvalidTopic, contents.EndState);
        Assert.Equal(8, contents.EndOffset);
        Assert.Contains("6120", contents.EndDescription);
    }

    [Fact]
    public void WhenTheLastRecordIsRunEndThenTheReaderSaysTheRunEndedCleanly()
    {
        byte[] file = TestPayloads.WriteFile(_dir.File("clean.bdq"), [("run.begin", [1]), ("evt", [2]), ("run.end", [3])]);
        using var reader = RunFileReader.FromMemory(file);
        while (reader.TryRead(out _)) { }
        Assert.True(reader.EndsWithRunEnd);
        Assert.Equal(3, reader.RecordsRead);
        Assert.Equal(RunFileEndState.CleanEnd, reader.EndState);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void WhenReadingManyRecordsThenTopicsAreSharedStringsAndNothingIsAllocatedPerRecord()
    {
        string path = _dir.File("many.bdq");
        using (var writer = RunFileWriter.Create(path))
        {
            var payload = TestPayloads.Make(256, 1);
            for (int i = 0; i < 20_000; i++) writer.Append(i % 10 == 0 ? "my.topic" : "evt", payload);
        }
        using var reader = RunFileReader.Open(path);
        Assert.True(reader.TryRead(out var first)); // warm up: the first sight of a topic may allocate
        Assert.True(reader.TryRead(out var second));

        long before = GC.GetAllocatedBytesForCurrentThread();
        long count = 0, sum = 0;
        while (reader.TryRead(out var record))
        {
            count++;
            sum += record.Payload.Span[0];
            Assert.True(ReferenceEquals(record.Topic, Topics.Event) || ReferenceEquals(record.Topic, first.Topic));
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(19_998, count);
        Assert.True(allocated < 4096, $"allocated {allocated} bytes for {count} records");
        Assert.Equal(RunFileEndState.CleanEnd, reader.EndState);
        Assert.Same(Topics.Event, second.Topic);
    }

    [Fact]
    public void WhenAMappedFileSpansSeveralWindowsThenEveryRecordIsReadWhole()
    {
        string path = _dir.File("windows.bdq");
        var payloads = Enumerable.Range(0, 300).Select(i => TestPayloads.Make(i * 13 % 900, i)).ToList();
        TestPayloads.WriteFile(path, payloads.Select(p => ("evt", p)));

        using var reader = RunFileReader.Open(path, windowLength: 1000);
        var contents = RunFileContents.ReadAll(reader);

        Assert.Equal(RunFileEndState.CleanEnd, contents.EndState);
        Assert.Equal(payloads.Select(Convert.ToHexString), contents.Records.Select(r => Convert.ToHexString(r.Payload)));
    }

    [Fact]
    public void WhenTheReaderIsDisposedThenItsPayloadsRefuseAccessInsteadOfCrashing()
    {
        string path = _dir.File("disposed.bdq");
        TestPayloads.WriteFile(path, [("evt", [1, 2, 3])]);
        var reader = RunFileReader.Open(path);
        Assert.True(reader.TryRead(out var record));
        Assert.Equal(1, record.Payload.Span[0]);

        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => record.Payload.Span[0]);
    }

    [Fact]
    public void WhenTheFileIsMissingThenOpenThrowsNamingIt()
    {
        string path = _dir.File("missing.bdq");
        var e = Assert.Throws<FileNotFoundException>(() => RunFileReader.Open(path));
        Assert.Contains(path, e.Message);
    }
}
