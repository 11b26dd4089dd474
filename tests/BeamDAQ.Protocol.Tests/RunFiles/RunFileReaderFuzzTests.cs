using System.Buffers.Binary;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Tests.RunFiles.Support;
using BeamDAQ.TestSupport;
using Xunit.Abstractions;

namespace BeamDAQ.Protocol.Tests.RunFiles;

/// <summary>
/// Hostile input: random byte strings and mutated run files, in memory. The reader must never throw, never
/// loop, never allocate beyond a small bound (a declared length is never trusted), deliver only records whose
/// CRC really matches, and end every input with a typed end state and its offset.
/// </summary>
public sealed class RunFileReaderFuzzTests(ITestOutputHelper output)
{
    private const int RandomInputs = 50_000;
    private const int MutatedInputs = 50_000;

    /// <summary>First use of the reader initialises statics (topic table, CRC tables, formatting caches): not per-input cost.</summary>
    private static void WarmUp(byte[] valid)
    {
        byte[][] inputs = [valid, valid[..^3], [.. valid[..8], 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0], "BDQRUN02"u8.ToArray(), "BDQ"u8.ToArray(), "XYZ"u8.ToArray()];
        byte[] crc = (byte[])valid.Clone();
        crc[^1] ^= 1;
        foreach (var input in inputs.Append(crc))
        {
            var reader = RunFileReader.FromMemory(input);
            while (reader.TryRead(out _)) { }
        }
    }

    [Fact]
    public void WhenFedRandomByteStringsThenEveryInputEndsInATypedStateWithoutCrashOrLargeAllocation()
    {
        var random = new Random(1234);
        WarmUp(ValidFile(new Random(1)));
        var states = new Dictionary<RunFileEndState, int>();
        for (int i = 0; i < RandomInputs; i++)
        {
            byte[] input = new byte[random.Next(0, 600)];
            random.NextBytes(input);
            // Half of them get the magic so the record parser, not just the magic check, sees garbage.
            if (i % 2 == 0 && input.Length >= 8) RunFileFormat.Magic.CopyTo(input);
            var state = CheckOne(input, $"random input {i}");
            states[state] = states.GetValueOrDefault(state) + 1;
        }
        output.WriteLine($"{RandomInputs} random inputs: {string.Join(", ", states.OrderBy(s => s.Key))}");
        Assert.True(states.Count >= 4, $"random inputs reached only {string.Join(", ", states)}");
    }

    [Fact]
    public void WhenFedMutatedRunFilesThenEveryInputEndsInATypedStateWithoutCrashOrLargeAllocation()
    {
        var random = new Random(5678);
        byte[] valid = ValidFile(random);
        WarmUp(valid);
        var states = new Dictionary<RunFileEndState, int>();
        for (int i = 0; i < MutatedInputs; i++)
        {
            byte[] input = Mutate(valid, random);
            var state = CheckOne(input, $"mutated input {i}");
            states[state] = states.GetValueOrDefault(state) + 1;
        }
        output.WriteLine($"{MutatedInputs} mutated files: {string.Join(", ", states.OrderBy(s => s.Key))}");
        foreach (var expected in new[] { RunFileEndState.CleanEnd, RunFileEndState.TruncatedRecord, RunFileEndState.CrcMismatch, RunFileEndState.BadMagic, RunFileEndState.OversizeRecord })
            Assert.True(states.ContainsKey(expected), $"no mutation produced {expected}: {string.Join(", ", states)}");
    }

    /// <summary>Reads one input and checks every property; returns its end state.</summary>
    private static RunFileEndState CheckOne(byte[] input, string name)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        RunFileReader reader;
        var offsets = new List<long>(4);
        try
        {
            reader = RunFileReader.FromMemory(input);
            long bound = input.Length / RunFileFormat.RecordHeaderLength + 1;
            while (reader.TryRead(out var record))
            {
                if (offsets.Count < 4) offsets.Add(record.Offset);
                if (reader.RecordsRead > bound) Fail($"more than {bound} records");
                CheckRecord(input, record, name);
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Fail($"threw {e}");
            throw;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        if (reader.EndState == RunFileEndState.Reading) Fail("ended in state Reading");
        if (string.IsNullOrEmpty(reader.EndDescription)) Fail("no end description");
        if (reader.EndOffset < 0 || reader.EndOffset > input.Length) Fail($"end offset {reader.EndOffset} outside the input");
        long expectedOffset = reader.EndState is RunFileEndState.BadMagic or RunFileEndState.TruncatedHeader ? 0
            : reader.EndState == RunFileEndState.CleanEnd ? input.Length : reader.Position;
        if (reader.EndOffset != expectedOffset) Fail($"{reader.EndState} at {reader.EndOffset}, expected {expectedOffset}");
        // Bookkeeping, the end sentence and the odd topic string: a few KiB whatever the input claims.
        if (allocated > 8192 + 2L * input.Length) Fail($"allocated {allocated} bytes");
        return reader.EndState;

        void Fail(string what) => Assert.Fail($"{name} ({input.Length} bytes, starts {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 48)))}): {what}");
    }

    /// <summary>A delivered record must lie inside the input, follow the previous one, and really carry a matching CRC.</summary>
    private static void CheckRecord(byte[] input, RunFileRecord record, string name)
    {
        long end = record.Offset + record.Length;
        if (record.Offset < RunFileFormat.MagicLength || end > input.Length)
            Assert.Fail($"{name}: record [{record.Offset}, {end}) outside the input of {input.Length} bytes");
        var bytes = input.AsSpan((int)record.Offset, record.Length);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]);
        if (stored != Crc32C.ComputeWithTable(bytes[8..]) || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != record.Payload.Length)
            Assert.Fail($"{name}: record at {record.Offset} delivered with a CRC or length that does not match its bytes");
    }

    private static byte[] ValidFile(Random random)
    {
        using var dir = new TempDirectory();
        string[] topics = ["run.begin", "evt", "evt", "daq.status", "evt", "sc", "evt", "alarm", "fit", "evt", "run.end"];
        return TestPayloads.WriteFile(dir.File("valid.bdq"), topics.Select((t, i) => (t, TestPayloads.Make(random.Next(0, 80), i))));
    }

    /// <summary>One to four of: flip bits, set bytes to extremes, cut, insert, delete, duplicate, forge length fields.</summary>
    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(8))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)(random.Next(2) == 0 ? 0x00 : 0xFF); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 20)).Select(_ => (byte)random.Next(256))); break;
                case 4: bytes.RemoveRange(at, Math.Min(random.Next(1, 20), bytes.Count - at)); break;
                case 5:
                    int length = Math.Min(random.Next(1, 60), bytes.Count - at);
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 6:
                    // Forge a length field at a record-ish position: huge, just past the end, or zero.
                    if (bytes.Count >= 12)
                    {
                        int field = random.Next(8, bytes.Count - 3);
                        uint forged = random.Next(3) switch { 0 => uint.MaxValue, 1 => (uint)(bytes.Count - field), _ => 0 };
                        for (int k = 0; k < 4; k++) bytes[field + k] = (byte)(forged >> (8 * k));
                    }
                    break;
                default: bytes[at] = (byte)random.Next(256); break;
            }
        }
        return [.. bytes];
    }
}
