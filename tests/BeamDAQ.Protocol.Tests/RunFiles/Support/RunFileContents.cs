using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Protocol.Tests.RunFiles.Support;

/// <summary>One record as a test remembers it: copied out of the reader so it outlives it.</summary>
public sealed record StoredRecord(long Offset, string Topic, byte[] Payload)
{
    public int Length => RunFileFormat.RecordHeaderLength + Topic.Length + Payload.Length;
}

/// <summary>Everything a reader delivered and why it stopped.</summary>
public sealed record RunFileContents(IReadOnlyList<StoredRecord> Records, RunFileEndState EndState, long EndOffset, string EndDescription)
{
    public static RunFileContents Read(string path)
    {
        using var reader = RunFileReader.Open(path);
        return ReadAll(reader);
    }

    public static RunFileContents Read(byte[] bytes) => ReadAll(RunFileReader.FromMemory(bytes));

    public static RunFileContents ReadAll(RunFileReader reader)
    {
        var records = new List<StoredRecord>();
        // A reader must advance by at least a header per record: more iterations than that would be a hang.
        long bound = reader.Length / RunFileFormat.RecordHeaderLength + 1;
        while (reader.TryRead(out var record))
        {
            records.Add(new StoredRecord(record.Offset, record.Topic, record.Payload.ToArray()));
            if (records.Count > bound) Assert.Fail($"reader delivered more than {bound} records from {reader.Length} bytes");
        }
        return new RunFileContents(records, reader.EndState, reader.EndOffset, reader.EndDescription);
    }
}

/// <summary>Builds the records tests write: deterministic payloads of any size.</summary>
public static class TestPayloads
{
    public static byte[] Make(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes <paramref name="records"/> with a fresh writer and returns the file's bytes.</summary>
    public static byte[] WriteFile(string path, IEnumerable<(string Topic, byte[] Payload)> records)
    {
        using (var writer = RunFileWriter.Create(path))
            foreach (var (topic, payload) in records) writer.Append(topic, payload);
        return System.IO.File.ReadAllBytes(path);
    }
}
