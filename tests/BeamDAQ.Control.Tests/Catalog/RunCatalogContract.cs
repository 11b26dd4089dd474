using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.Catalog.Export;
using BeamDAQ.Control.Tests.Catalog.Support;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Control.Tests.Catalog;

/// <summary>
/// What every run catalog backend must do. Each backend's test class derives from this one and provides a fresh,
/// empty store per test (a SQLite file, a PostgreSQL schema); the tests themselves are the same for both.
/// </summary>
public abstract class RunCatalogContract : IDisposable
{
    private readonly List<IRunCatalog> _opened = [];
    private string? _workDirectory;

    protected ManualClock Clock { get; } = new(CatalogTestData.T0);

    /// <summary>Where this test's catalog lives: a file path or a connection string.</summary>
    protected abstract string Location { get; }

    protected abstract CatalogBackend ExpectedBackend { get; }

    /// <summary>A connection straight to the store, for what the catalog's API cannot show (tables, old schemas).</summary>
    protected abstract DbConnection OpenRawConnection();

    /// <summary>A scratch directory for run files.</summary>
    protected string WorkDirectory => _workDirectory ??= Directory.CreateTempSubdirectory("beamdaq-catalog-test-").FullName;

    protected IRunCatalog Open(RunCatalogOptions? options = null)
    {
        var catalog = RunCatalog.Open(Location, options ?? new RunCatalogOptions { Clock = Clock });
        lock (_opened)
            _opened.Add(catalog);
        return catalog;
    }

    public virtual void Dispose()
    {
        foreach (var catalog in _opened)
            catalog.Dispose();
        if (_workDirectory is not null)
            Directory.Delete(_workDirectory, recursive: true);
        GC.SuppressFinalize(this);
    }

    // --- run numbers ---

    [SkippableFact]
    public void WhenRunsAreAllocatedThenNumbersStartAtOneAndIncreaseByOne()
    {
        var catalog = Open();
        Assert.Equal(ExpectedBackend, catalog.Backend);
        Assert.Null(catalog.KnownRuns());

        long[] numbers = [.. Enumerable.Range(0, 3).Select(_ => catalog.AllocateRun(CatalogTestData.Start()).Run)];

        Assert.Equal([1L, 2L, 3L], numbers);
        Assert.All(numbers, n => Assert.Equal(RunState.Running, catalog.GetRun(n).State));
        Assert.Equal(new RunRange(1, 3, 3), catalog.KnownRuns());
    }

    [SkippableFact]
    public void WhenTheCatalogIsReopenedThenNumbersContinueAndAreNeverReused()
    {
        using (var first = Open())
        {
            for (int i = 0; i < 2; i++)
            {
                long run = first.AllocateRun(CatalogTestData.Start()).Run;
                first.EndRun(run, CatalogTestData.End(Clock.Advance(TimeSpan.FromMinutes(10))));
            }
        }

        var reopened = Open();
        long next = reopened.AllocateRun(CatalogTestData.Start()).Run;

        Assert.Equal(3, next);
        Assert.Equal(RunState.Ended, reopened.GetRun(1).State);
        Assert.Equal(RunState.Ended, reopened.GetRun(2).State);
    }

    [SkippableFact]
    public void WhenARunWasLeftRunningByACrashedControlProcessThenTheNextAllocationAbortsItWithWhatItsFileHeld()
    {
        string file = CatalogTestData.WriteInterruptedRunFile(Path.Combine(WorkDirectory, "run000001.bdq"), 1, events: 7);
        using (var crashed = Open(new RunCatalogOptions { Clock = Clock, Owner = CatalogTestData.DeadOwner() }))
        {
            long run = crashed.AllocateRun(CatalogTestData.Start()).Run;
            crashed.RecordFile(run, file);
            crashed.RecordProgress(run, new RunProgress(5, 1, 0.01, CatalogTestData.T0.AddSeconds(10)));
            // ... and the control process dies here: the run is never ended.
        }

        var catalog = Open();
        var allocation = catalog.AllocateRun(CatalogTestData.Start());

        Assert.Equal(2, allocation.Run);
        var recovered = Assert.Single(allocation.Recovered);
        Assert.Equal(1, recovered.Run);
        var aborted = catalog.GetRun(1);
        Assert.Equal(RunState.Aborted, aborted.State);
        Assert.Equal(7, aborted.Events);                         // counted in the file, more than the last progress (5)
        Assert.Equal(1, aborted.MissedTriggers);                 // the last progress survives
        Assert.Equal(new FileInfo(file).Length, aborted.FileSizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))), aborted.FileSha256);
        Assert.Equal(CatalogTime.Normalize(new DateTimeOffset(File.GetLastWriteTimeUtc(file))), aborted.StopUtc);
        Assert.Contains("interrupted", aborted.EndReason);
        Assert.Contains(CatalogTestData.DeadOwner().ToString(), aborted.EndReason);
        Assert.Contains("7 events", aborted.EndReason);
        Assert.Equal(RunState.Running, catalog.GetRun(2).State);
    }

    [SkippableFact]
    public void WhenARunningRunBelongsToALiveProcessOrAnotherHostThenAllocationLeavesItRunning()
    {
        var live = Open();
        var elsewhere = Open(new RunCatalogOptions { Clock = Clock, Owner = new RunOwner("another-control-node", 4242, null) });
        long liveRun = live.AllocateRun(CatalogTestData.Start()).Run;
        long remoteRun = elsewhere.AllocateRun(CatalogTestData.Start()).Run;

        var allocation = Open().AllocateRun(CatalogTestData.Start());

        Assert.Empty(allocation.Recovered);
        Assert.Equal(RunState.Running, live.GetRun(liveRun).State);
        Assert.Equal(RunState.Running, live.GetRun(remoteRun).State);
        Assert.Equal(3, allocation.Run);
    }

    [SkippableFact]
    public void WhenRecoveryOfALiveRunIsRequestedThenItIsRefusedUnlessForced()
    {
        var catalog = Open();
        long run = catalog.AllocateRun(CatalogTestData.Start()).Run;

        var refused = Assert.Throws<CatalogException>(() => catalog.RecoverInterruptedRuns(run));
        Assert.Contains("alive", refused.Message);
        Assert.Equal(RunState.Running, catalog.GetRun(run).State);

        var forced = Assert.Single(catalog.RecoverInterruptedRuns(run, force: true));
        Assert.Contains("on request", forced.Reason);
        Assert.Equal(RunState.Aborted, catalog.GetRun(run).State);
        Assert.Throws<CatalogException>(() => catalog.EndRun(run, CatalogTestData.End(Clock.UtcNow)));
    }

    [SkippableFact]
    public void WhenTwoCatalogInstancesAllocateConcurrentlyThenNoNumberIsDuplicatedOrSkipped()
    {
        const int perInstance = 20;
        using var start = new Barrier(2);
        var numbers = new List<long>[2];
        var failures = new Exception?[2];
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                var catalog = Open();   // both open (and migrate) the new store at the same moment, on their own connections
                numbers[i] = [.. Enumerable.Range(0, perInstance).Select(_ => catalog.AllocateRun(CatalogTestData.Start()).Run)];
            }
            catch (Exception e)
            {
                failures[i] = e;
            }
        })).ToList();
        foreach (var thread in threads)
            thread.Start();
        foreach (var thread in threads)
            Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "an allocating thread did not finish within 2 minutes");

        Assert.All(failures, Assert.Null);
        var all = numbers.SelectMany(n => n).ToList();
        Assert.Equal(2 * perInstance, all.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 2 * perInstance).Select(n => (long)n), all.Order());
        Assert.All(numbers, n => Assert.Equal(n.Order(), n));   // each instance saw its numbers increase
    }

    // --- schema ---

    [SkippableFact]
    public void WhenAnOlderSchemaIsOpenedThenMigrationsBringItToTheLatestVersionKeepingItsData()
    {
        using (var atVersion1 = Open(new RunCatalogOptions { Clock = Clock, MigrateToVersion = 1 }))
            Assert.Equal(1, atVersion1.SchemaVersion);
        // What software of schema version 1 wrote: a run, the counter, a logbook entry.
        ExecuteRaw(
            "INSERT INTO runs (run, state, operator, comment, start_utc, stop_utc, end_reason, events, missed_triggers, software_version, owner_host, owner_pid) " +
            "VALUES (1, 'ended', 'old operator', 'a run from schema 1', '2024-05-01T10:00:00.000000Z', '2024-05-01T10:30:00.000000Z', 'operator', 900, 2, 'BeamDAQ 0.0.1', 'old-host', 77)",
            "UPDATE run_counter SET last_run = 1",
            "INSERT INTO logbook (t_utc, author, text, run) VALUES ('2024-05-01T10:31:00.000000Z', 'old operator', 'beam was stable', 1)");

        var catalog = Open();

        Assert.Equal(3, catalog.SchemaVersion);
        Assert.Equal([1L, 2L, 3L], QueryRaw("SELECT version FROM schema_version ORDER BY version"));
        var old = catalog.GetRun(1);
        Assert.Equal("a run from schema 1", old.Comment);
        Assert.Equal(900, old.Events);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 30, 0, TimeSpan.Zero), old.StopUtc);
        Assert.Equal(RunSettings.None, old.Settings);                  // columns added by migration 2 are empty
        Assert.Equal("beam was stable", Assert.Single(catalog.GetLogbook(1)).Text);
        Assert.Equal(2, catalog.AllocateRun(CatalogTestData.Start()).Run);
        Assert.True(catalog.AddFit(CatalogTestData.Fit(1, Clock.UtcNow)) > 0);   // migration 3's table works for old runs
    }

    [SkippableFact]
    public void WhenTheCatalogWasWrittenByNewerSoftwareThenOpeningIsRefusedNamingBothVersions()
    {
        using (Open()) { }
        ExecuteRaw("INSERT INTO schema_version (version, applied_utc, description, software) VALUES (99, '2030-01-01T00:00:00.000000Z', 'from the future', 'BeamDAQ 9')");

        var refused = Assert.Throws<CatalogSchemaException>(() => Open());

        Assert.Contains("99", refused.Message);
        Assert.Contains("up to 3", refused.Message);
    }

    // --- contents ---

    [SkippableFact]
    public void WhenEveryFieldIsRecordedThenTheRunReadsBackExactly()
    {
        var catalog = Open();
        var expected = RecordFullRun(catalog);

        var details = catalog.GetRunDetails(expected.Run.Run);

        Assert.Equal(expected.Run, details.Run);
        Assert.Equal(expected.Fits, details.Fits);
        Assert.Equal(expected.Alarms, details.Alarms);
        Assert.Equal(expected.DeviceLosses, details.DeviceLosses);
        Assert.Equal(expected.Logbook, details.Logbook);
        Assert.Equal(expected.SlowControl, details.SlowControl);
        Assert.Equal(2, catalog.GetSlowControlOutsideRuns().Count);
        Assert.Equal("hall temperature above 30 °C", Assert.Single(catalog.GetAlarmsOutsideRuns()).Message);
        Assert.Equal(2, catalog.GetLogbook().Count);
    }

    [SkippableFact]
    public void WhenTheCatalogIsExportedAsJsonThenEveryStoredValueIsReproduced()
    {
        var catalog = Open();
        var stored = RecordFullRun(catalog);
        catalog.AllocateRun(CatalogTestData.Start(comment: "second run, still running"));
        using var buffer = new MemoryStream();

        CatalogJson.WriteCatalog(catalog, buffer, Clock.UtcNow);

        using var json = JsonDocument.Parse(buffer.ToArray());
        var root = json.RootElement;
        Assert.Equal(catalog.SchemaVersion, root.GetProperty("catalog").GetProperty("schema_version").GetInt32());
        Assert.Equal(2, root.GetProperty("runs").GetArrayLength());
        ExportAssert.RunMatches(stored, root.GetProperty("runs")[0]);
        ExportAssert.RunMatches(catalog.GetRunDetails(2), root.GetProperty("runs")[1]);
        Assert.Equal("shift started; beam tuning", Assert.Single(root.GetProperty("logbook").EnumerateArray()).GetProperty("text").GetString());
        Assert.Equal("hall temperature above 30 °C", Assert.Single(root.GetProperty("alarms").EnumerateArray()).GetProperty("message").GetString());
        Assert.Equal(catalog.GetSlowControlOutsideRuns().Select(r => r.Value),
            root.GetProperty("slow_control").EnumerateArray().Select(r => r.GetProperty("value").GetDouble()));
    }

    [SkippableFact]
    public void WhenTheRunsTableIsExportedAsCsvThenEachRowReproducesTheStoredRun()
    {
        var catalog = Open();
        RecordFullRun(catalog);
        catalog.AllocateRun(CatalogTestData.Start(comment: "quotes \"inside\", commas, and\na second line; " + CatalogTestData.SqlLookingText));
        var text = new StringWriter();

        CatalogCsv.Write(catalog, "runs", text);

        var rows = Csv.ParseWithHeader(text.ToString());
        Assert.Equal(2, rows.Count);
        foreach (var row in rows)
            ExportAssert.CsvRowMatches(catalog.GetRun(long.Parse(row["run"])), catalog.GetFits(long.Parse(row["run"])).LastOrDefault(), row);

        var readings = new StringWriter();
        CatalogCsv.Write(catalog, "slow-control", readings);
        var readingRows = Csv.ParseWithHeader(readings.ToString());
        var storedReadings = catalog.GetSlowControl(1).Concat(catalog.GetSlowControlOutsideRuns()).ToList();
        Assert.Equal(storedReadings.Select(r => r.Value), readingRows.Select(r => double.Parse(r["value"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(storedReadings.Select(r => r.Unit), readingRows.Select(r => r["unit"]));
    }

    [SkippableFact]
    public void WhenTextLooksLikeSqlThenItIsStoredVerbatimAndNothingIsExecuted()
    {
        var catalog = Open();
        string[] hostile =
        [
            CatalogTestData.SqlLookingText,
            "Robert'); DELETE FROM logbook; --",
            "\"; UPDATE run_counter SET last_run = 0; --",
            "@run; $1; {ID}; ?; %s",
        ];
        var start = CatalogTestData.Start(comment: hostile[0]) with { Operator = hostile[1] };

        long run = catalog.AllocateRun(start).Run;
        foreach (string text in hostile)
            catalog.AddLogbookEntry(new LogbookEntry(Clock.UtcNow, hostile[3], text, run));
        catalog.AddAlarm(new AlarmRecord(run, Clock.UtcNow, hostile[2], "warning", hostile[3], hostile[0]));
        catalog.EndRun(run, CatalogTestData.End(Clock.Advance(TimeSpan.FromMinutes(1))) with { Reason = hostile[2] });

        var stored = catalog.GetRun(run);
        Assert.Equal(hostile[0], stored.Comment);
        Assert.Equal(hostile[1], stored.Operator);
        Assert.Equal(hostile[2], stored.EndReason);
        Assert.Equal(hostile, catalog.GetLogbook(run).Select(e => e.Text));
        Assert.All(catalog.GetLogbook(run), e => Assert.Equal(hostile[3], e.Author));
        var alarm = Assert.Single(catalog.GetAlarms(run));
        Assert.Equal((hostile[2], hostile[3], hostile[0]), (alarm.Source, alarm.Code, alarm.Message));
        Assert.Equal([1L], QueryRaw("SELECT COUNT(*) FROM runs"));            // the table is still there, with its run
        Assert.Equal([1L], QueryRaw("SELECT last_run FROM run_counter"));     // and the counter was not reset
        Assert.Equal(2, catalog.AllocateRun(CatalogTestData.Start()).Run);
    }

    [SkippableFact]
    public void WhenAnUnknownRunIsRequestedThenTheErrorNamesTheNumberAndTheKnownRange()
    {
        var catalog = Open();
        var empty = Assert.Throws<UnknownRunException>(() => catalog.GetRun(5));
        Assert.Contains("run 5", empty.Message);
        Assert.Contains("no runs yet", empty.Message);

        for (int i = 0; i < 3; i++)
            catalog.AllocateRun(CatalogTestData.Start());

        var unknown = Assert.Throws<UnknownRunException>(() => catalog.GetRunDetails(42));
        Assert.Equal(42, unknown.Run);
        Assert.Equal(new RunRange(1, 3, 3), unknown.Known);
        Assert.Contains("run 42", unknown.Message);
        Assert.Contains("1–3", unknown.Message);
        Assert.Throws<UnknownRunException>(() => catalog.AddLogbookEntry(new LogbookEntry(Clock.UtcNow, "ana", "about nothing", 42)));
        Assert.Throws<UnknownRunException>(() => catalog.AddSlowControl(CatalogTestData.Temperatures(42, Clock.UtcNow, 2)));
        Assert.Throws<UnknownRunException>(() => catalog.EndRun(42, CatalogTestData.End(Clock.UtcNow)));
        Assert.Null(catalog.FindRun(42));
        Assert.Empty(catalog.GetLogbook());
        Assert.Empty(catalog.GetSlowControlOutsideRuns());
    }

    [SkippableFact]
    public void WhenARunHasEndedThenItsRecordIsClosedAndNeverOverwritten()
    {
        var catalog = Open();
        long run = catalog.AllocateRun(CatalogTestData.Start()).Run;
        catalog.EndRun(run, CatalogTestData.End(Clock.Advance(TimeSpan.FromMinutes(5))));
        var ended = catalog.GetRun(run);

        var again = Assert.Throws<CatalogException>(() => catalog.EndRun(run, CatalogTestData.End(Clock.Advance(TimeSpan.FromMinutes(5)), events: 1)));
        Assert.Contains($"run {run} is ended", again.Message);
        Assert.Throws<CatalogException>(() => catalog.RecordSettings(run, RunSettings.None));
        Assert.Throws<CatalogException>(() => catalog.RecordProgress(run, new RunProgress(1, 0)));
        Assert.Throws<CatalogException>(() => catalog.RecordConfiguration(run, "{}", "{}"));
        Assert.Equal(ended, catalog.GetRun(run));

        catalog.AddFit(CatalogTestData.Fit(run, Clock.UtcNow));   // the final fit arrives after the stop
        Assert.Single(catalog.GetFits(run));
    }

    [SkippableFact]
    public void WhenValuesAreInvalidThenTheyAreRefusedNamingTheFieldAndNothingIsStored()
    {
        var catalog = Open();

        var badJson = Assert.Throws<ArgumentException>(() => catalog.AllocateRun(CatalogTestData.Start() with { ConfigurationJson = "{\"digitizer\": " }));
        Assert.Contains("RunStart.ConfigurationJson", badJson.Message);
        Assert.Null(catalog.KnownRuns());

        long run = catalog.AllocateRun(CatalogTestData.Start()).Run;
        var readings = CatalogTestData.Temperatures(run, Clock.UtcNow, 3).ToList();
        readings[1] = readings[1] with { Value = double.NaN };
        var nan = Assert.Throws<ArgumentException>(() => catalog.AddSlowControl(readings));
        Assert.Contains("ntc-1 temperature", nan.Message);
        Assert.Empty(catalog.GetSlowControl(run));

        var sha = Assert.Throws<ArgumentException>(() => catalog.EndRun(run, CatalogTestData.End(Clock.UtcNow) with { FileSha256 = "XYZ" }));
        Assert.Contains("64 lower-case hex digits", sha.Message);
        var backwards = Assert.Throws<ArgumentException>(() => catalog.EndRun(run, CatalogTestData.End(CatalogTestData.T0.AddDays(-1))));
        Assert.Contains("before run 1's start", backwards.Message);
        Assert.Equal(RunState.Running, catalog.GetRun(run).State);
    }

    [SkippableFact]
    public void WhenRunsAreListedThenEachShowsItsLatestFitAndExitAperture()
    {
        var catalog = Open();
        long first = catalog.AllocateRun(CatalogTestData.Start()).Run;
        catalog.RecordSettings(first, CatalogTestData.Settings(exitApertureX: 1.2));
        catalog.AddFit(CatalogTestData.Fit(first, Clock.UtcNow, lambda: 0.6));
        catalog.AddFit(CatalogTestData.Fit(first, Clock.Advance(TimeSpan.FromMinutes(1)), lambda: 0.7));
        catalog.EndRun(first, CatalogTestData.End(Clock.Advance(TimeSpan.FromMinutes(1))));
        long second = catalog.AllocateRun(CatalogTestData.Start() with { Settings = null }).Run;

        var list = catalog.ListRuns();

        Assert.Equal([first, second], list.Select(r => r.Run));
        Assert.Equal(0.7, list[0].Lambda);
        Assert.Equal(0.051234, list[0].LambdaError);
        Assert.Equal(1.2, list[0].ExitCollimator!.ApertureXMm, 12);
        Assert.Equal(3.1, list[0].ExitCollimator!.ApertureYMm, 12);
        Assert.Equal(3000, list[0].Events);
        Assert.Equal(TimeSpan.FromMinutes(2), list[0].Duration + (CatalogTestData.Start().StartUtc - CatalogTestData.T0));
        Assert.Null(list[1].Lambda);
        Assert.Null(list[1].ExitCollimator);
        Assert.Equal([second], catalog.ListRuns(last: 1).Select(r => r.Run));
    }

    /// <summary>
    /// Records one run with every field and series filled (plus a few records outside runs), the way run control
    /// would, and returns what the catalog must give back.
    /// </summary>
    private RunDetails RecordFullRun(IRunCatalog catalog)
    {
        var t0 = CatalogTestData.T0;
        catalog.AddLogbookEntry(new LogbookEntry(t0.AddMinutes(-5), "Ana Petrović", "shift started; beam tuning"));
        catalog.AddSlowControl(CatalogTestData.Temperatures(null, t0.AddMinutes(-2), 2));
        catalog.AddAlarm(new AlarmRecord(null, t0.AddMinutes(-1), "ntc-hall", "warning", "TEMP_HIGH", "hall temperature above 30 °C"));

        var start = CatalogTestData.Start();
        var allocation = catalog.AllocateRun(start with { ConfigurationJson = "{}", Settings = null });
        long run = allocation.Run;
        catalog.RecordConfiguration(run, start.ConfigurationJson, start.AppliedSettingsJson);
        catalog.RecordSettings(run, start.Settings!);
        catalog.RecordFile(run, "runs/run000001.bdq");
        catalog.RecordProgress(run, new RunProgress(1500, 1, 0.01, t0.AddMinutes(5)));

        var readings = CatalogTestData.Temperatures(run, t0.AddSeconds(1), 10)
            .Append(new SlowControlReading(run, t0.AddSeconds(30), "magnet-psu", "current", 12.3456789, "A"))
            .ToList();
        catalog.AddSlowControl(readings);
        long alarm = catalog.AddAlarm(new AlarmRecord(run, t0.AddMinutes(3), "hs4", "error", "DEVICE_LOST", "HS4 28341 dropped off the USB bus"));
        var loss = new DeviceLossInterval(run, "hs4 28341", t0.AddMinutes(3), t0.AddMinutes(3).AddSeconds(4.5), 22);
        long lossId = catalog.AddDeviceLoss(loss);
        var openLoss = new DeviceLossInterval(run, "ntc-1", t0.AddMinutes(8), null, null);
        long openLossId = catalog.AddDeviceLoss(openLoss);
        var note = new LogbookEntry(t0.AddMinutes(4), "Ana Petrović", "HS4 came back after 4.5 s\nrun continues", run);
        long noteId = catalog.AddLogbookEntry(note);
        var liveFit = CatalogTestData.Fit(run, t0.AddMinutes(5), lambda: 2.19) with { Converged = false, LambdaError = null, Chi2 = null, Ndf = null, PValue = null };
        long liveFitId = catalog.AddFit(liveFit);
        var finalFit = CatalogTestData.Fit(run, t0.AddMinutes(10));
        long finalFitId = catalog.AddFit(finalFit);
        var end = CatalogTestData.End(t0.AddMinutes(10).AddTicks(70));
        catalog.EndRun(run, end);

        var owner = RunOwner.CurrentProcess;
        var expectedRun = new RunRecord
        {
            Run = run,
            State = RunState.Ended,
            Operator = start.Operator,
            Comment = start.Comment,
            StartUtc = start.StartUtc!.Value,
            StopUtc = CatalogTime.Normalize(end.StopUtc!.Value),
            EndReason = end.Reason,
            Events = end.Events,
            MissedTriggers = end.MissedTriggers,
            DeadTimeFraction = end.DeadTimeFraction,
            ProgressUtc = CatalogTime.Normalize(end.StopUtc!.Value),
            FilePath = end.FilePath,
            FileSizeBytes = end.FileSizeBytes,
            FileSha256 = end.FileSha256,
            ConfigurationJson = start.ConfigurationJson,
            AppliedSettingsJson = start.AppliedSettingsJson,
            SoftwareVersion = start.SoftwareVersion!,
            Settings = start.Settings!,
            Owner = owner,
        };
        return new RunDetails(
            expectedRun,
            [liveFit with { Id = liveFitId }, finalFit with { Id = finalFitId }],
            [new AlarmRecord(run, t0.AddMinutes(3), "hs4", "error", "DEVICE_LOST", "HS4 28341 dropped off the USB bus") { Id = alarm }],
            [loss with { Id = lossId }, openLoss with { Id = openLossId }],
            [note with { Id = noteId }],
            readings.Zip(catalog.GetSlowControl(run), (given, stored) => given with { Id = stored.Id }).ToList());
    }

    private void ExecuteRaw(params string[] statements)
    {
        using var connection = OpenRawConnection();
        foreach (string sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private List<long> QueryRaw(string sql)
    {
        using var connection = OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<long>();
        while (reader.Read())
            values.Add(Convert.ToInt64(reader.GetValue(0)));
        return values;
    }
}
