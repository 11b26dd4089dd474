using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Tests.MessagePack.Support;

/// <summary>
/// The values BeamDAQ's codec and Python's msgpack must agree on byte for byte: every type family, every
/// boundary between two encodings, seeded random composites, and the BeamDAQ messages themselves.
/// </summary>
public static class ConformanceCorpus
{
    public static IReadOnlyList<ConformanceCase> Build()
    {
        var cases = new List<ConformanceCase>
        {
            new("nil", null),
            new("true", true),
            new("false", false),
        };
        AddIntegers(cases);
        AddFloats(cases);
        AddStrings(cases);
        AddBinaries(cases);
        AddArrays(cases);
        AddMaps(cases);
        AddExtensions(cases);
        AddTimestamps(cases);
        AddRandomComposites(cases, new Random(20240611), count: 60);
        AddMessages(cases);
        var duplicate = cases.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"corpus names must be unique; '{duplicate.Key}' appears {duplicate.Count()} times");
        return cases;
    }

    private static void AddIntegers(List<ConformanceCase> cases)
    {
        long[] signed =
        [
            0, 1, 31, 32, 126, 127, 128, 200, 254, 255, 256, 1000, 32767, 32768, 65534, 65535, 65536,
            int.MaxValue, 1L + int.MaxValue, uint.MaxValue - 1L, uint.MaxValue, 1L + uint.MaxValue, 1L << 53, long.MaxValue - 1, long.MaxValue,
            -1, -2, -31, -32, -33, -100, -127, -128, -129, -255, -256, -32767, -32768, -32769, -65535, -65536,
            int.MinValue + 1L, int.MinValue, int.MinValue - 1L, -(1L << 53), long.MinValue + 1, long.MinValue,
        ];
        foreach (long value in signed)
            cases.Add(new($"int {value}", value));
        ulong[] unsigned = [1UL << 63, (1UL << 63) + 1, ulong.MaxValue - 1, ulong.MaxValue];
        foreach (ulong value in unsigned)
            cases.Add(new($"uint {value}", value));
        // The same numbers through the narrower .NET types take the same encodings.
        cases.Add(new(".NET byte 200", (byte)200));
        cases.Add(new(".NET sbyte -100", (sbyte)-100));
        cases.Add(new(".NET short -32768", short.MinValue));
        cases.Add(new(".NET ushort 65535", ushort.MaxValue));
        cases.Add(new(".NET int -2147483648", int.MinValue));
        cases.Add(new(".NET uint 4294967295", uint.MaxValue));

        var random = new Random(7);
        for (int i = 0; i < 24; i++)
        {
            int bits = random.Next(1, 64);
            long magnitude = random.NextInt64() >> (63 - bits);
            long value = i % 2 == 0 ? magnitude : -magnitude;
            cases.Add(new($"random int {value}", value));
        }
    }

    private static void AddFloats(List<ConformanceCase> cases)
    {
        double[] doubles =
        [
            0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3, Math.PI, 1e300, -1e-300, double.Epsilon, double.MaxValue, double.MinValue,
            double.PositiveInfinity, double.NegativeInfinity, double.NaN, 9007199254740993.0, 2.5e-308, 123456.789,
        ];
        foreach (double value in doubles)
            cases.Add(new($"float64 {value:R} ({BitConverter.DoubleToInt64Bits(value):x16})", value));
        float[] singles =
        [
            0f, -0f, 1f, 1.5f, -2.25f, 0.1f, float.MaxValue, float.MinValue, float.Epsilon, 3.4e-38f,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, 16777217f, 1.17549435e-38f,
        ];
        foreach (float value in singles)
            cases.Add(new($"float32 {value:R} ({BitConverter.SingleToInt32Bits(value):x8})", value, Single: true));
        cases.Add(new("float32 array", new List<object?> { 1f, -0.5f, float.MaxValue, 7L }, Single: true));
    }

    private static void AddStrings(List<ConformanceCase> cases)
    {
        foreach (int length in new[] { 0, 1, 5, 30, 31, 32, 33, 100, 254, 255, 256, 1000, 65534, 65535, 65536, 70_000 })
            cases.Add(new($"str of {length} bytes", Text(length)));
        cases.Add(new("str latin-1", "héllo wörld"));
        cases.Add(new("str CJK", "日本語のテキスト"));
        cases.Add(new("str emoji (4-byte UTF-8)", "beam 😀 on"));
        cases.Add(new("str control characters", "a\u0000b\tc\nd\u007f"));
        cases.Add(new("str 31 bytes of 2-byte characters and one more", new string('é', 15) + "x"));
        cases.Add(new("str 32 bytes of 2-byte characters", new string('é', 16)));
        cases.Add(new("str 255 bytes of 3-byte characters", new string('語', 85)));
        cases.Add(new("str 258 bytes of 3-byte characters", new string('語', 86)));
        cases.Add(new("str 65535 bytes, multibyte", new string('語', 21845)));
        cases.Add(new("str 65538 bytes, multibyte", new string('語', 21846)));
    }

    private static void AddBinaries(List<ConformanceCase> cases)
    {
        var random = new Random(11);
        foreach (int length in new[] { 0, 1, 2, 15, 16, 31, 32, 255, 256, 1000, 65535, 65536, 70_000 })
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            cases.Add(new($"bin of {length} bytes", bytes));
        }
    }

    private static void AddArrays(List<ConformanceCase> cases)
    {
        foreach (int count in new[] { 0, 1, 15, 16, 17, 255, 256, 65535, 65536 })
            cases.Add(new($"array of {count} integers", Enumerable.Range(0, count).Select(i => (object?)(long)(i * 7 % 1000 - 300)).ToList()));
        cases.Add(new("array of mixed scalars", new List<object?> { null, true, false, 1L, -1L, 2.5, "s", new byte[] { 1, 2 } }));
        cases.Add(new("array of empty containers", new List<object?> { new List<object?>(), new Dictionary<string, object?>() }));
        object? nested = 1L;
        for (int depth = 0; depth < 20; depth++)
            nested = new List<object?> { nested };
        cases.Add(new("array nested 20 deep", nested));
        cases.Add(new("array of 16 strings", Enumerable.Range(0, 16).Select(i => (object?)Text(i * 3)).ToList()));
    }

    private static void AddMaps(List<ConformanceCase> cases)
    {
        foreach (int count in new[] { 0, 1, 15, 16, 17, 255, 256, 65535, 65536 })
            cases.Add(new($"map of {count} entries", Enumerable.Range(0, count).ToDictionary(i => $"k{i}", i => (object?)(long)i)));
        cases.Add(new("map of every scalar type", new Dictionary<string, object?>
        {
            ["nil"] = null, ["t"] = true, ["f"] = false, ["pos"] = 200L, ["neg"] = -200L, ["big"] = ulong.MaxValue,
            ["dbl"] = 2.75, ["str"] = "text", ["bin"] = new byte[] { 0, 255 }, ["ts"] = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        }));
        cases.Add(new("map nested", new Dictionary<string, object?>
        {
            ["daq"] = new Dictionary<string, object?>
            {
                ["channels"] = new List<object?>
                {
                    new Dictionary<string, object?> { ["id"] = 1L, ["range"] = 0.8, ["coupling"] = "dc" },
                    new Dictionary<string, object?> { ["id"] = 2L, ["range"] = 4.0, ["coupling"] = "ac" },
                },
                ["trigger"] = new Dictionary<string, object?> { ["level"] = -0.05, ["hysteresis"] = 0.01, ["source"] = "ch1" },
            },
            ["beam"] = new Dictionary<string, object?> { ["energy_mev"] = 2.6, ["magnet_a"] = 12.5 },
        }));
        cases.Add(new("map with empty and unicode keys", new Dictionary<string, object?> { [""] = 0L, ["ключ"] = "значение", ["😀"] = 1.0 }));
        cases.Add(new("map with a 40-byte key", new Dictionary<string, object?> { [Text(40)] = 1L }));
    }

    private static void AddExtensions(List<ConformanceCase> cases)
    {
        var random = new Random(13);
        // Python's ExtType accepts application types 0–127 only; negative types are reserved by the specification.
        foreach (int length in new[] { 0, 1, 2, 3, 4, 5, 8, 9, 16, 17, 255, 256, 65535, 65536 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            sbyte type = (sbyte)(length % 128);
            cases.Add(new($"ext type {type} of {length} bytes", new MessagePackExtension(type, data)));
        }
        cases.Add(new("ext type 127", new MessagePackExtension(127, [1, 2, 3, 4])));
        cases.Add(new("ext type 0", new MessagePackExtension(0, [9])));
    }

    private static void AddTimestamps(List<ConformanceCase> cases)
    {
        (long Seconds, uint Nanoseconds)[] stamps =
        [
            (0, 0), (1, 0), (1_700_000_000, 0), (uint.MaxValue, 0), // timestamp 32
            (1L << 32, 0), (1, 100), (1_700_000_000, 123_456_700), ((1L << 34) - 1, 999_999_900), (0, 500), // timestamp 64
            (1L << 34, 0), (-1, 0), (-1, 999_999_900), (-62_135_596_800, 0), (253_402_300_799, 999_999_900), (-86_400, 100), // timestamp 96
        ];
        foreach (var (seconds, nanoseconds) in stamps)
        {
            var value = DateTimeOffset.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond + nanoseconds / 100);
            cases.Add(new($"timestamp {seconds} s + {nanoseconds} ns", value));
        }
    }

    private static void AddRandomComposites(List<ConformanceCase> cases, Random random, int count)
    {
        for (int i = 0; i < count; i++)
            cases.Add(new($"random composite #{i}", RandomValue(random, depth: 0)));
    }

    private static object? RandomValue(Random random, int depth)
    {
        int kind = random.Next(depth >= 4 ? 8 : 10);
        switch (kind)
        {
            case 0: return null;
            case 1: return random.Next(2) == 0;
            case 2: return (long)random.Next(-70_000, 70_000);
            case 3: return random.NextInt64(long.MinValue, long.MaxValue);
            case 4: return random.NextDouble() * Math.Pow(10, random.Next(-20, 20));
            case 5: return Text(random.Next(0, 300));
            case 6:
                var bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                return bytes;
            case 7: return DateTimeOffset.UnixEpoch.AddTicks(random.NextInt64(0, 40_000_000_000) * 100);
            case 8:
                return Enumerable.Range(0, random.Next(0, 20)).Select(_ => RandomValue(random, depth + 1)).ToList();
            default:
                var map = new Dictionary<string, object?>();
                int entries = random.Next(0, 20);
                for (int i = 0; i < entries; i++)
                    map[$"key{i}_{random.Next(1000)}"] = RandomValue(random, depth + 1);
                return map;
        }
    }

    /// <summary>The BeamDAQ messages as their typed encoders write them, against the maps Python must see.</summary>
    private static void AddMessages(List<ConformanceCase> cases)
    {
        var runBegin = new RunBeginMessage
        {
            Run = 42,
            TimeNs = 1_718_000_000_123_456_789,
            Config = new Dictionary<string, object?> { ["daq"] = new Dictionary<string, object?> { ["fs_hz"] = 1e9, ["record_length"] = 10_000L } },
            Applied = new Dictionary<string, object?> { ["fs_hz"] = 1e9, ["resolution_bits"] = 12L, ["ranges_v"] = new List<object?> { 0.8, 0.8, 4.0, 4.0 } },
            Software = "beamdaq 0.1.0",
            Meta = new Dictionary<string, object?> { ["operator"] = "shift crew", ["comment"] = "collimator scan" },
        };
        cases.Add(Message("message run.begin", runBegin.ToMap(), seq: 1, tseq: 1, runBegin.Encode));

        var runEnd = new RunEndMessage
        {
            Run = 42, TimeNs = 1_718_000_600_000_000_000, Events = 123_456, Missed = 7, Reason = "operator stop",
            Extras = new Dictionary<string, object?> { ["gaps"] = new List<object?> { new List<object?> { 1L, 2L } } },
        };
        cases.Add(Message("message run.end", runEnd.ToMap(), seq: 123_458, tseq: 1, runEnd.Encode));

        var status = new DaqStatusMessage
        {
            State = "Running", Run = 42, TriggerRateHz = 1000.5, Events = 5000, Missed = 3, DeadTimeFraction = 0.012,
            BytesWritten = 400_000_000, DeviceState = "ok", Dropped = 0,
        };
        cases.Add(Message("message daq.status", status.ToMap(), seq: 300, tseq: 250, status.Encode));
        var idle = status with { State = "Idle", Run = null };
        cases.Add(Message("message daq.status between runs", idle.ToMap(), seq: 301, tseq: 251, idle.Encode));

        var alarm = new AlarmMessage { TimeNs = 1_718_000_100_000_000_000, Source = "daq", Severity = AlarmSeverity.Error, Code = "device-lost", Message = "HS4 disappeared from USB" };
        cases.Add(Message("message alarm", alarm.ToMap(), seq: 5, tseq: 1, alarm.Encode));

        var sc = new SlowControlMessage { TimeNs = 1_718_000_100_500_000_000, Device = "magnet", Quantity = "current", Value = 12.5, Unit = "A" };
        cases.Add(Message("message sc", sc.ToMap(), seq: 6, tseq: 70_000, sc.Encode));

        var fit = new FitMessage
        {
            Run = 42, TimeNs = 1_718_000_700_000_000_000, Lambda = 2.31, LambdaError = 0.02, Converged = true,
            LambdaLow = 2.29, LambdaHigh = 2.33, Chi2 = 48.2, Ndf = 45, PValue = 0.34, Events = 10_000,
            Parameters = new Dictionary<string, object?> { ["gain"] = 0.0123, ["pedestal"] = -0.0004 },
        };
        cases.Add(Message("message fit", fit.ToMap(), seq: 7, tseq: 3, fit.Encode));

        var evt = SampleEvents.Create(channels: 4, samplesPerChannel: 100, seed: 3) ;
        cases.Add(new("message evt", SampleEvents.ExpectedMap(evt), Encode: () => EventCodec.EncodeToArray(evt)));
    }

    private static ConformanceCase Message(string name, Dictionary<string, object?> map, ulong seq, ulong tseq, Action<ulong, ulong, MessagePackWriter> encode)
    {
        var expected = new Dictionary<string, object?> { ["v"] = (long)SchemaVersion.Current, ["seq"] = seq, ["tseq"] = tseq };
        foreach (var (key, value) in map)
            expected[key] = value;
        return new ConformanceCase(name, expected, Encode: () =>
        {
            var writer = new MessagePackWriter();
            encode(seq, tseq, writer);
            return writer.WrittenSpan.ToArray();
        });
    }

    /// <summary>ASCII text of exactly <paramref name="length"/> bytes.</summary>
    private static string Text(int length) =>
        string.Create(length, 0, (span, _) =>
        {
            for (int i = 0; i < span.Length; i++)
                span[i] = (char)('a' + i % 26);
        });
}
