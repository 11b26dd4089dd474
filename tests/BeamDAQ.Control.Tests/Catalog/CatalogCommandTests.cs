using System.Text.Json;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.Tests.Catalog.Support;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Tests.Catalog;

/// <summary>
/// <c>beamdaq-control runs …</c> and <c>logbook …</c> over a real SQLite catalog: what people and scripts see, and
/// the exit codes (0 done, 2 bad usage such as an unknown run, 1 runtime failure).
/// </summary>
public sealed class CatalogCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beamdaq-catalog-cli-").FullName;
    private readonly ManualClock _clock = new(CatalogTestData.T0);

    private string CatalogPath => Path.Combine(_directory, "catalog.sqlite");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Two runs of a collimator scan: run 1 ended with two fits, run 2 still running without fits.</summary>
    private void RecordScan()
    {
        using var catalog = RunCatalog.Open(CatalogPath, new RunCatalogOptions { Clock = _clock });
        long first = catalog.AllocateRun(CatalogTestData.Start(comment: "exit 9.9 x 3.1, first point of the scan")).Run;
        catalog.AddFit(CatalogTestData.Fit(first, _clock.Advance(TimeSpan.FromMinutes(1)), lambda: 2.0));
        catalog.AddFit(CatalogTestData.Fit(first, _clock.Advance(TimeSpan.FromMinutes(1)), lambda: 2.8));
        catalog.AddAlarm(new AlarmRecord(first, _clock.UtcNow, "hs4", "error", "DEVICE_LOST", "HS4 28341 dropped off the USB bus"));
        catalog.AddSlowControl(CatalogTestData.Temperatures(first, _clock.UtcNow, 5));
        catalog.EndRun(first, CatalogTestData.End(_clock.Advance(TimeSpan.FromMinutes(8)), events: 2400));
        catalog.AllocateRun(CatalogTestData.Start(comment: "[bold]second[/] point") with { StartUtc = _clock.Advance(TimeSpan.FromMinutes(1)) });
    }

    [Fact]
    public void WhenRunsAreListedThenTheTableShowsEachRunWithItsLambdaApertureStateAndComment()
    {
        RecordScan();

        var result = ControlCli.InProcess(_clock, "runs", "list", "--catalog", CatalogPath);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        string[] lines = result.Out.Split('\n');
        string first = Assert.Single(lines, l => l.Contains("first point of the scan"));
        Assert.Contains("2025-03-14 09:26:53", first);
        Assert.Contains("9:59", first);                  // 10 min minus the 0.123456 s the run started late
        Assert.Contains("2,400", first);
        Assert.Contains("2.800 ± 0.051", first);         // the latest fit, error to two significant digits
        Assert.Contains("9.9 × 3.1 mm", first);
        Assert.Contains("ended", first);
        string second = Assert.Single(lines, l => l.Contains("[bold]second[/] point"));   // shown as typed, not as markup
        Assert.Contains("running", second);
        Assert.Contains("2 of 2 runs", result.Out);
    }

    [Fact]
    public void WhenARunIsShownWithJsonThenStdoutIsOneJsonObjectAboutThatRun()
    {
        RecordScan();

        var result = ControlCli.InProcess(_clock, "runs", "show", "1", "--json", "--catalog", CatalogPath);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);   // throws on anything but exactly one JSON value
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        Assert.Equal(1, json.RootElement.GetProperty("run").GetInt64());
        Assert.Equal(2, json.RootElement.GetProperty("fits").GetArrayLength());
        Assert.Equal(5, json.RootElement.GetProperty("slow_control").GetArrayLength());
        Assert.Equal(JsonDocument.Parse(CatalogTestData.ConfigurationJson).RootElement.GetProperty("note").GetString(),
            json.RootElement.GetProperty("configuration").GetProperty("note").GetString());
        Assert.Empty(result.Error);
    }

    [Fact]
    public void WhenARunIsShownForPeopleThenItsRecordSettingsAndSeriesAppear()
    {
        RecordScan();

        var result = ControlCli.InProcess(_clock, "runs", "show", "1", "--catalog", CatalogPath);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("run 1 — ended", result.Out);
        Assert.Contains("Ana Petrović", result.Out);
        Assert.Contains("2.7 MeV", result.Out);
        Assert.Contains("2.6 × 1.8 mm centred at (0.05, -0.1) mm", result.Out);
        Assert.Contains("fits (2)", result.Out);
        Assert.Contains("HS4 28341 dropped off the USB bus", result.Out);
        Assert.Contains("ntc-1", result.Out);
        Assert.Contains("\"resolution_bits\":14", result.Out);   // the applied settings, as stored
    }

    [Fact]
    public void WhenAnUnknownRunIsShownThenTheProgramExitsWithTwoNamingTheRunAndTheKnownRange()
    {
        RecordScan();

        var result = ControlCli.Process(new Dictionary<string, string> { ["BEAMDAQ_CATALOG"] = CatalogPath, ["BEAMDAQ_LOG_DIR"] = _directory },
            "runs", "show", "42");

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("run 42 is not in the catalog", result.Error);
        Assert.Contains("1–2", result.Error);
        Assert.Empty(result.Out);
    }

    [Fact]
    public void WhenTheCatalogDoesNotExistThenReadingExitsWithTwoAndCreatesNoFile()
    {
        var result = ControlCli.InProcess(_clock, "runs", "list", "--catalog", CatalogPath);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains(CatalogPath, result.Error);
        Assert.False(File.Exists(CatalogPath));
    }

    [Fact]
    public void WhenTheRunsAreExportedAsCsvToAFileThenTheFileHoldsOneRowPerStoredRun()
    {
        RecordScan();
        string output = Path.Combine(_directory, "exports", "runs.csv");

        var result = ControlCli.InProcess(_clock, "runs", "export", "--format", "csv", "--out", output, "--catalog", CatalogPath);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var rows = Csv.ParseWithHeader(File.ReadAllText(output));
        using var catalog = RunCatalog.Open(CatalogPath);
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
        {
            long run = long.Parse(row["run"]);
            ExportAssert.CsvRowMatches(catalog.GetRun(run), catalog.GetFits(run).LastOrDefault(), row);
        }
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public void WhenTheCatalogIsExportedAsJsonToStdoutThenItHoldsEveryRunAsStored()
    {
        RecordScan();

        var result = ControlCli.InProcess(_clock, "runs", "export", "--format", "json", "--catalog", CatalogPath);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        using var catalog = RunCatalog.Open(CatalogPath);
        var runs = json.RootElement.GetProperty("runs");
        Assert.Equal(2, runs.GetArrayLength());
        ExportAssert.RunMatches(catalog.GetRunDetails(1), runs[0]);
        ExportAssert.RunMatches(catalog.GetRunDetails(2), runs[1]);
    }

    [Fact]
    public void WhenTheTableOptionIsGivenForJsonThenItIsBadUsage()
    {
        RecordScan();

        var result = ControlCli.InProcess(_clock, "runs", "export", "--format", "json", "--table", "fits", "--catalog", CatalogPath);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("--table applies to --format csv only", result.Error);
    }

    [Fact]
    public void WhenALogbookEntryIsAddedThenItIsStoredVerbatimWithItsRunAndAuthor()
    {
        RecordScan();

        var result = ControlCli.Process(new Dictionary<string, string> { ["BEAMDAQ_CATALOG"] = CatalogPath, ["BEAMDAQ_LOG_DIR"] = _directory },
            "logbook", "add", CatalogTestData.SqlLookingText, "--run", "1", "--author", "night shift");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("added for run 1 by night shift", result.Out);
        using var catalog = RunCatalog.Open(CatalogPath);
        var entry = Assert.Single(catalog.GetLogbook(1));
        Assert.Equal(CatalogTestData.SqlLookingText, entry.Text);
        Assert.Equal("night shift", entry.Author);
        Assert.Equal(2, catalog.KnownRuns()!.Count);
    }

    [Fact]
    public void WhenALogbookEntryNamesAnUnknownRunThenNothingIsStoredAndTheExitCodeIsTwo()
    {
        RecordScan();

        var result = ControlCli.InProcess(_clock, "logbook", "add", "beam", "lost", "--run", "7", "--catalog", CatalogPath);

        Assert.Equal(ExitCodes.BadUsage, result.ExitCode);
        Assert.Contains("run 7 is not in the catalog", result.Error);
        Assert.Contains("1–2", result.Error);
        using var catalog = RunCatalog.Open(CatalogPath);
        Assert.Empty(catalog.GetLogbook());
    }

    [Fact]
    public void WhenRecoverIsRequestedThenARunLeftRunningByACrashedProcessIsAbortedAndReported()
    {
        using (var crashed = RunCatalog.Open(CatalogPath, new RunCatalogOptions { Clock = _clock, Owner = CatalogTestData.DeadOwner() }))
            crashed.AllocateRun(CatalogTestData.Start());

        var result = ControlCli.InProcess(_clock, "runs", "recover", "--catalog", CatalogPath);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("run 1: aborted", result.Out);
        using var catalog = RunCatalog.Open(CatalogPath);
        Assert.Equal(RunState.Aborted, catalog.GetRun(1).State);
    }
}
