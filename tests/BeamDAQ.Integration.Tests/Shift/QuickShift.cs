using BeamDAQ.Control.Catalog;
using BeamDAQ.Integration.Tests.Support;

namespace BeamDAQ.Integration.Tests.Shift;

/// <summary>
/// Two shifts in one fresh run directory, as a user would repeat them: <c>shift.sh --quick</c> (the paper's four
/// settings, 1500 bunches each), then <c>shift.sh --quick --events 200</c>, whose runs must be appended. What each
/// left behind is captured right after it ended.
/// </summary>
public sealed class QuickShift : IDisposable
{
    /// <summary>Generous: includes building programs whose sources changed, on a shared 2-core machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    public static readonly (double X, double Y, double PaperLambda, string Figure)[] Settings =
        [(1.2, 3.1, 0.7, "6a"), (6.9, 3.1, 2.2, "6b"), (9.9, 3.1, 2.8, "6c"), (9.9, 20.6, 8.7, "6d")];

    public const int FirstEvents = 1500;
    public const int SecondEvents = 200;

    public QuickShift()
    {
        RunsDirectory = Directory.CreateTempSubdirectory("beamdaq-shift-test-").FullName;
        First = ShiftScript.Run(RunsDirectory, Deadline, "--quick");
        LeftAfterFirst = ProcessTable.WithEnvironment("BEAMDAQ_RUNS_DIR", RunsDirectory);
        FirstDigests = Directory.EnumerateFiles(RunsDirectory, "run_*.bdq").Order().ToDictionary(f => f, f => RunFileDigest.Compute(f).Sha256);
        Second = ShiftScript.Run(RunsDirectory, Deadline, "--quick", "--events", SecondEvents.ToString());
        LeftAfterSecond = ProcessTable.WithEnvironment("BEAMDAQ_RUNS_DIR", RunsDirectory);
    }

    public string RunsDirectory { get; }
    public string CatalogPath => Path.Combine(RunsDirectory, "catalog.sqlite");
    public ShiftScript First { get; }
    public ShiftScript Second { get; }
    public List<string> LeftAfterFirst { get; }
    public List<string> LeftAfterSecond { get; }
    /// <summary>SHA-256 of every run file right after the first shift.</summary>
    public Dictionary<string, string> FirstDigests { get; }

    public IRunCatalog Catalog() => RunCatalog.OpenSqlite(CatalogPath, RunCatalogOptions.Default with { CreateIfMissing = false });

    /// <summary>The directory a shift printed as its own logs (generated configuration, process logs, scan.json).</summary>
    public static string LogDirectory(ShiftScript shift)
    {
        const string marker = "this shift's logs in ";
        string line = shift.Out.Split('\n').FirstOrDefault(l => l.Contains(marker))
                      ?? throw new InvalidOperationException($"the shift did not say where its logs are\n{shift.Transcript()}");
        return line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim();
    }

    public string Transcripts() => First.Transcript() + "\n" + Second.Transcript();

    public void Dispose()
    {
        First.Dispose();
        Second.Dispose();
        try
        {
            Directory.Delete(RunsDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class QuickShiftCollection : ICollectionFixture<QuickShift>
{
    public const string Name = "quick shift";
}
