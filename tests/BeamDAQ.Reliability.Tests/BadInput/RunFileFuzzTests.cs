using System.Diagnostics;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Reliability.Tests.BadInput;

/// <summary>
/// Damaged run files through <see cref="RunFileReader"/> and <see cref="RunFileScanner"/>: overwritten bytes, cut-off
/// files and free mutations (inserted, deleted, huge length fields). The reader never throws; it delivers every
/// record before the damage byte for byte and stops exactly at the damaged record with a typed end state and its
/// offset — the counts are exact, not merely plausible.
/// </summary>
public sealed class RunFileFuzzTests(ITestOutputHelper output)
{
    private static readonly RunFileEndState[] DamageStates =
        [RunFileEndState.CrcMismatch, RunFileEndState.OversizeRecord, RunFileEndState.TruncatedRecord, RunFileEndState.InvalidTopic];

    [Fact]
    public void WhenRunFilesAreDamagedThenTheReaderDeliversEveryRecordBeforeTheDamageAndStopsAtItsOffset()
    {
        int inputs = Budget.FileInputs;
        var random = new Random(7031);
        var seeds = SeedRunFiles.Build(random, count: 8);
        var mutator = new Mutator(random);
        var failures = new List<string>();
        var states = new Dictionary<RunFileEndState, int>();
        int overwrites = 0, truncations = 0, free = 0, foreign = 0;
        long recordsDelivered = 0;
        var clock = Stopwatch.StartNew();

        Eventually.Within(TimeSpan.FromMinutes(5), "the run-file fuzz", () =>
        {
            for (int i = 0; i < inputs && failures.Count < 20; i++)
            {
                var seed = seeds[random.Next(seeds.Count)];
                int kind = random.Next(20);
                byte[] bytes;
                Expected expected;
                if (kind < 12)
                {
                    (bytes, expected) = Overwrite(seed, random);
                    overwrites++;
                }
                else if (kind < 14)
                {
                    (bytes, expected) = ForeignWriter(seed, random);
                    foreign++;
                }
                else if (kind < 17)
                {
                    (bytes, expected) = Truncate(seed, random);
                    truncations++;
                }
                else
                {
                    bytes = mutator.MutateBytes(seed.Bytes, seeds[random.Next(seeds.Count)].Bytes);
                    expected = Expected.IntactBefore(FirstDifference(seed.Bytes, bytes), seed);
                    free++;
                }

                var check = Check(bytes, seed, expected);
                recordsDelivered += check.Records;
                states[check.State] = states.GetValueOrDefault(check.State) + 1;
                if (check.Failure is not null)
                    failures.Add($"input {i} ({Describe(kind)}, {bytes.Length} bytes): {check.Failure}");
            }
            return 0;
        });

        output.WriteLine($"{inputs:N0} damaged files ({overwrites:N0} overwritten, {foreign:N0} rewritten with a valid CRC, {truncations:N0} cut off, {free:N0} free mutations) in {clock.Elapsed.TotalSeconds:F1} s; {recordsDelivered:N0} records delivered");
        output.WriteLine("end states: " + string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value:N0}")));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(inputs, states.Values.Sum());
        foreach (var state in DamageStates.Append(RunFileEndState.BadMagic).Append(RunFileEndState.CleanEnd))
            Assert.True(states.GetValueOrDefault(state) > 0, $"no input ended in {state}: the mix does not exercise it");
    }

    [Fact]
    public void WhenDamagedFilesAreScannedFromDiskThenTheScannerAgreesWithTheInMemoryReader()
    {
        var random = new Random(99);
        var seeds = SeedRunFiles.Build(random, count: 4);
        using var dir = new TempDirectory();
        var failures = new List<string>();
        for (int i = 0; i < 400; i++)
        {
            var seed = seeds[random.Next(seeds.Count)];
            var (bytes, expected) = i % 3 == 0 ? Truncate(seed, random) : Overwrite(seed, random);
            string path = dir.File($"damaged-{i}.bdq");
            File.WriteAllBytes(path, bytes);
            var scan = RunFileScanner.Scan(path); // memory-mapped, as beamdaq-daq verify reads
            if (scan.Records != expected.Records || scan.EndState != expected.State && expected.State != null
                || expected.EndOffset is { } offset && scan.EndOffset != offset)
                failures.Add($"{path}: scanner says {scan.Records} records, {scan.EndState} at {scan.EndOffset}; expected {expected}");
            if (scan.EndDescription.Length == 0 || (scan.EndState != RunFileEndState.CleanEnd && !scan.EndDescription.Contains(scan.EndOffset.ToString())))
                failures.Add($"{path}: the description does not name the offset: '{scan.EndDescription}'");
            File.Delete(path);
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(10)));
    }

    /// <summary>What the reader must report for a damaged file. A null state or offset means "any damage state".</summary>
    private sealed record Expected(long Records, RunFileEndState? State, long? EndOffset, bool Exact)
    {
        /// <summary>After a free mutation only the records wholly before the first changed byte are certain.</summary>
        public static Expected IntactBefore(long firstDifference, SeedRunFile seed) =>
            new(seed.Records.Count(r => r.End <= firstDifference), null, null, Exact: false);
    }

    private sealed record CheckResult(long Records, RunFileEndState State, string? Failure);

    /// <summary>Overwrites 1–8 bytes in place (the file keeps its length): the reader must stop at the record holding the first change.</summary>
    private static (byte[], Expected) Overwrite(SeedRunFile seed, Random random)
    {
        byte[] bytes = (byte[])seed.Bytes.Clone();
        int at = random.Next(bytes.Length);
        int count = Math.Min(bytes.Length - at, 1 + random.Next(8));
        for (int i = 0; i < count; i++) bytes[at + i] = (byte)random.Next(256);
        long first = FirstDifference(seed.Bytes, bytes);
        if (first == bytes.Length) return (bytes, new Expected(seed.Records.Count, RunFileEndState.CleanEnd, bytes.Length, Exact: true));
        if (first < 8) return (bytes, new Expected(0, RunFileEndState.BadMagic, 0, Exact: true));
        int damaged = seed.Records.Count(r => r.End <= first);
        return (bytes, new Expected(damaged, null, seed.Records[damaged].Offset, Exact: true));
    }

    /// <summary>
    /// Damage a CRC cannot see: a record's topic or payload changed and its CRC recomputed, as a buggy or foreign
    /// writer would leave it. A bad topic must stop the reader at that record (InvalidTopic); a bad payload is delivered,
    /// and its decoder must reject it with a typed error.
    /// </summary>
    private static (byte[], Expected) ForeignWriter(SeedRunFile seed, Random random)
    {
        byte[] bytes = (byte[])seed.Bytes.Clone();
        int k = random.Next(seed.Records.Count);
        var (offset, end, topic) = seed.Records[k];
        int topicStart = (int)offset + RunFileFormat.RecordHeaderLength;
        bool badTopic = random.Next(2) == 0;
        if (badTopic)
            bytes[topicStart + random.Next(topic.Length)] = (byte)(random.Next(2) == 0 ? random.Next(0, 0x21) : random.Next(0x7f, 0x100));
        else
        {
            int payloadStart = topicStart + topic.Length;
            int at = payloadStart + random.Next((int)end - payloadStart);
            bytes[at] = (byte)random.Next(256);
        }
        uint crc = Crc32C.Compute(bytes.AsSpan((int)offset + RunFileFormat.TopicLengthFieldOffset, (int)(end - offset) - RunFileFormat.TopicLengthFieldOffset));
        BitConverter.TryWriteBytes(bytes.AsSpan((int)offset + RunFileFormat.CrcFieldOffset, 4), crc); // little-endian host
        return badTopic
            ? (bytes, new Expected(k, RunFileEndState.InvalidTopic, offset, Exact: true))
            : (bytes, new Expected(seed.Records.Count, RunFileEndState.CleanEnd, bytes.Length, Exact: true));
    }

    /// <summary>Cuts the file at a random length: whole records before the cut survive, the cut one is reported truncated.</summary>
    private static (byte[], Expected) Truncate(SeedRunFile seed, Random random)
    {
        int length = random.Next(seed.Bytes.Length + 1);
        byte[] bytes = seed.Bytes.AsSpan(0, length).ToArray();
        if (length < 8) return (bytes, new Expected(0, RunFileEndState.TruncatedHeader, 0, Exact: true));
        int whole = seed.Records.Count(r => r.End <= length);
        bool boundary = length == 8 || seed.Records.Any(r => r.End == length);
        return boundary
            ? (bytes, new Expected(whole, RunFileEndState.CleanEnd, length, Exact: true))
            : (bytes, new Expected(whole, RunFileEndState.TruncatedRecord, seed.Records[whole].Offset, Exact: true));
    }

    private static CheckResult Check(byte[] bytes, SeedRunFile seed, Expected expected)
    {
        long records = 0;
        long firstDifference = FirstDifference(seed.Bytes, bytes);
        try
        {
            using var reader = RunFileReader.FromMemory(bytes);
            while (reader.TryRead(out var record))
            {
                if (records < seed.Records.Count && record.EndOffset <= firstDifference)
                {
                    // Before the damage: the very record that was written, decodable as its topic.
                    var original = seed.Records[(int)records];
                    if (record.Offset != original.Offset || record.Topic != original.Topic || record.EndOffset != original.End)
                        return new(records, reader.EndState, $"record {records} is {record}, expected {original.Topic} at {original.Offset}");
                    var decoded = WireDecoding.Typed(record.Topic, record.Payload.ToArray());
                    if (decoded.Outcome != DecodeOutcome.Accepted)
                        return new(records, reader.EndState, $"intact record {records} ({record.Topic}) does not decode: {decoded.Detail}");
                }
                else
                {
                    // A record that survived damage (a CRC that still matches): decoding it may fail, but only as a typed error.
                    var decoded = WireDecoding.Typed(record.Topic, record.Payload.ToArray());
                    if (decoded.Outcome == DecodeOutcome.Failure)
                        return new(records, reader.EndState, $"record {records} ({record.Topic}) crashed its decoder: {decoded.Detail}");
                }
                records++;
            }

            var state = reader.EndState;
            if (state == RunFileEndState.Reading) return new(records, state, "TryRead returned false without an end state");
            if (reader.EndOffset < 0 || reader.EndOffset > bytes.Length) return new(records, state, $"end offset {reader.EndOffset} outside the file");
            if (string.IsNullOrEmpty(reader.EndDescription)) return new(records, state, "no end description");
            if (expected.Exact)
            {
                bool stateOk = expected.State is { } s ? state == s : DamageStates.Contains(state);
                if (records != expected.Records || !stateOk || (expected.EndOffset is { } o && reader.EndOffset != o))
                    return new(records, state, $"read {records} records, {state} at {reader.EndOffset} ({reader.EndDescription}); expected {expected}");
            }
            else if (records < expected.Records)
            {
                return new(records, state, $"read only {records} records, but the first {expected.Records} were intact ({state}: {reader.EndDescription})");
            }
            return new(records, state, null);
        }
        catch (Exception e)
        {
            return new(records, RunFileEndState.Reading, $"threw {e.GetType().Name}: {e.Message}");
        }
    }

    private static long FirstDifference(byte[] original, byte[] changed)
    {
        int common = original.AsSpan().CommonPrefixLength(changed);
        return common == original.Length && changed.Length >= original.Length ? changed.Length : common;
    }

    private static string Describe(int kind) => kind < 12 ? "overwrite" : kind < 14 ? "rewritten with a valid CRC" : kind < 17 ? "truncation" : "free mutation";
}
