using BeamDAQ.Control.Catalog;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Control.Tests.Catalog.Support;

/// <summary>Test data with every field filled, values chosen to survive nothing but an exact round trip.</summary>
internal static class CatalogTestData
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    /// <summary>Text that would do damage if it were ever spliced into SQL.</summary>
    public const string SqlLookingText = "'); DROP TABLE runs; --";

    public const string ConfigurationJson = """
        {"digitizer": {"serial": 28341, "resolution_bits": 14, "sample_rate_hz": 3125000.0, "record_length": 2048,
         "pre_sample_ratio": 0.25, "channels": [{"id": 1, "range_v": 0.8, "coupling": "dc"}]},
         "trigger": {"source": "EXT1", "edge": "rising"}, "note": "λ scan — 'exit' collimator", "empty": {}, "list": [1, 2.5, null, true]}
        """;

    public const string AppliedJson = """{"resolution_bits":14,"sample_rate_hz":3125000,"ranges_v":[0.8,0.8,0.8,0.8],"trigger_timeout_s":-1}""";

    public static RunSettings Settings(double exitApertureX = 9.9) => new()
    {
        BeamEnergyMeV = 2.7,
        MagnetCurrentA = 12.345678901234,
        MagnetFieldGauss = 1234.5,
        EntranceCollimator = new CollimatorSetting(2.6, 1.8, 0.05, -0.1, -1.25, 1.35, -1.0, 0.8),
        ExitCollimator = CollimatorSetting.FromJaws(-exitApertureX / 2, exitApertureX / 2, -1.55, 1.55),
        Detector = "diamond 4x4 mm2, 500 um",
        HvSetVolts = 500,
        HvMeasuredVolts = 499.87,
        HvCurrentMicroamps = 0.0123,
    };

    public static RunStart Start(string comment = "collimator scan, exit 9.9 x 3.1 mm2", DateTimeOffset? at = null) => new()
    {
        Operator = "Ana Petrović",
        Comment = comment,
        StartUtc = at ?? T0.AddTicks(1234560),   // microsecond precision: survives both backends exactly
        ConfigurationJson = ConfigurationJson,
        AppliedSettingsJson = AppliedJson,
        FilePath = null,
        Settings = Settings(),
        SoftwareVersion = "BeamDAQ 0.1.0-test",
    };

    public static RunEnd End(DateTimeOffset stop, long events = 3000, string? sha = null) => new()
    {
        StopUtc = stop,
        Reason = "operator",
        Events = events,
        MissedTriggers = 3,
        DeadTimeFraction = 0.0125,
        FilePath = "runs/run000001.bdq",
        FileSizeBytes = 123_456_789_012,
        FileSha256 = sha ?? new string('a', 32) + new string('0', 31) + "f",
    };

    public static FitRecord Fit(long run, DateTimeOffset at, double lambda = 2.2) => new()
    {
        Run = run,
        TimeUtc = at,
        Lambda = lambda,
        LambdaError = 0.051234,
        IntervalLow = lambda - 0.0498,
        IntervalHigh = lambda + 0.0527,
        LambdaZeroFraction = lambda + 0.013,
        Chi2 = 41.25,
        Ndf = 37,
        PValue = 0.2899,
        Converged = true,
        Model = "compound-poisson/landau-truncated",
        ResultJson = """{"lambda": 2.2, "gain_mv": 12.5, "covariance": [[0.0026, 0.0001], [0.0001, 0.04]]}""",
        SoftwareVersion = "BeamDAQ 0.1.0-test",
    };

    public static IReadOnlyList<SlowControlReading> Temperatures(long? run, DateTimeOffset from, int count) =>
        Enumerable.Range(0, count)
            .Select(i => new SlowControlReading(run, from.AddSeconds(i), "ntc-1", "temperature", 21.5 + 0.01 * i, "°C"))
            .ToList();

    /// <summary>A process id that cannot exist (above the kernel's pid_max): the owner of a crashed run.</summary>
    public static RunOwner DeadOwner()
    {
        long pidMax = File.Exists("/proc/sys/kernel/pid_max") ? long.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim()) : 4_194_304;
        return new RunOwner(Environment.MachineName, pidMax + 1, T0);
    }

    /// <summary>
    /// A real run file cut short the way a crash leaves it: run.begin and <paramref name="events"/> evt records, no
    /// run.end, and half a record at the end.
    /// </summary>
    public static string WriteInterruptedRunFile(string path, uint run, int events)
    {
        using (var writer = RunFileWriter.Create(path))
        {
            var map = new MessagePackWriter();
            map.WriteMapHeader(2);
            map.WriteString("v");
            map.WriteInt64(1);
            map.WriteString("run");
            map.WriteUInt64(run);
            writer.Append(Topics.RunBegin, map.WrittenSpan);
            for (int trigger = 1; trigger <= events; trigger++)
            {
                map.Reset();
                map.WriteMapHeader(3);
                map.WriteString("run");
                map.WriteUInt64(run);
                map.WriteString("trg");
                map.WriteUInt64((ulong)trigger);
                map.WriteString("s");
                map.WriteBinary(new byte[64]);
                writer.Append(Topics.Event, map.WrittenSpan);
            }
        }
        using (var file = new FileStream(path, FileMode.Append))
            file.Write([0x40, 0, 0, 0, 1, 2]);   // the crash: a record header without its record
        return path;
    }
}
