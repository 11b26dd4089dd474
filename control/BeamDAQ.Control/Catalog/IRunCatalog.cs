namespace BeamDAQ.Control.Catalog;

/// <summary>
/// The run catalog: persistent run numbers and everything recorded about each run (DESIGN §7). One
/// implementation over two backends: a SQLite file (the default, <c>runs/catalog.sqlite</c>) and PostgreSQL
/// (a facility-wide catalog). Open one with <see cref="RunCatalog.Open"/>.
/// <para>
/// Run numbers are allocated by inserting the run in a transaction, so they increase by one, are never reused
/// (also after a crash or when several control nodes share a catalog) and have no gaps. A run's record stays
/// open while it is 'running' and is closed, once, by <see cref="EndRun"/> or by crash recovery; after that only
/// fits, alarms, logbook entries and readings can be added to it. Text is always passed as parameters.
/// Instances are thread-safe (calls are serialized); use one per process, or several to share a catalog.
/// </para>
/// </summary>
public interface IRunCatalog : IDisposable
{
    CatalogBackend Backend { get; }
    /// <summary>The SQLite file, or the PostgreSQL connection string without its password.</summary>
    string Location { get; }
    /// <summary>The catalog's schema version after the migrations run at open.</summary>
    int SchemaVersion { get; }

    // --- run lifecycle (run control) ---

    /// <summary>
    /// Allocates the next run number and records the run as 'running'. First marks aborted any run left
    /// 'running' by a control process that is gone (<see cref="RecoverInterruptedRuns"/>).
    /// </summary>
    RunAllocation AllocateRun(RunStart start);

    /// <summary>Records the full configuration and the applied digitizer settings (JSON text) of a running run.</summary>
    void RecordConfiguration(long run, string? configurationJson, string? appliedSettingsJson);

    /// <summary>Records beam, magnet, collimator and detector settings of a running run (replaces earlier ones).</summary>
    void RecordSettings(long run, RunSettings settings);

    /// <summary>Records the run file of a running run (its path; size and checksum once known).</summary>
    void RecordFile(long run, string path, long? sizeBytes = null, string? sha256 = null);

    /// <summary>Records the counters of a running run so far (so a crash still leaves them).</summary>
    void RecordProgress(long run, RunProgress progress);

    /// <summary>Closes a running run's record: stop time, reason, counters, file digest. Refused when not running.</summary>
    void EndRun(long run, RunEnd end);

    /// <summary>
    /// Marks aborted the runs left 'running' by a control process that is gone, recording what their files held.
    /// With <paramref name="run"/>, only that run (which must be running); <paramref name="force"/> aborts it even
    /// when its owner looks alive or runs on another host.
    /// </summary>
    IReadOnlyList<RecoveredRun> RecoverInterruptedRuns(long? run = null, bool force = false);

    /// <summary>
    /// Makes this catalog's owner (<see cref="RunCatalogOptions.Owner"/>) the owner of a running run: a restarted control
    /// node adopting the run the front end kept recording. Refused (<see cref="CatalogException"/>) when not running.
    /// </summary>
    RunRecord TakeOverRun(long run);

    // --- what happens during and around runs ---

    /// <summary>Stores slow-control readings in one transaction; returns how many.</summary>
    int AddSlowControl(IReadOnlyCollection<SlowControlReading> readings);
    long AddAlarm(AlarmRecord alarm);
    long AddDeviceLoss(DeviceLossInterval interval);
    long AddLogbookEntry(LogbookEntry entry);
    long AddFit(FitRecord fit);

    // --- reading ---

    /// <summary>The allocated run numbers, or null when there are none.</summary>
    RunRange? KnownRuns();
    /// <summary>The run, or <see cref="UnknownRunException"/> naming the number and the known range.</summary>
    RunRecord GetRun(long run);
    RunRecord? FindRun(long run);
    /// <summary>All runs in number order (or the last <paramref name="last"/>), each with its latest fit.</summary>
    IReadOnlyList<RunSummary> ListRuns(int? last = null);
    /// <summary>Everything about one run; <see cref="UnknownRunException"/> when there is no such run.</summary>
    RunDetails GetRunDetails(long run);
    IReadOnlyList<FitRecord> GetFits(long run);
    IReadOnlyList<AlarmRecord> GetAlarms(long run);
    IReadOnlyList<AlarmRecord> GetAlarmsOutsideRuns();
    IReadOnlyList<DeviceLossInterval> GetDeviceLosses(long run);
    IReadOnlyList<SlowControlReading> GetSlowControl(long run);
    IReadOnlyList<SlowControlReading> GetSlowControlOutsideRuns();
    /// <summary>Every logbook entry in time order.</summary>
    IReadOnlyList<LogbookEntry> GetLogbook();
    IReadOnlyList<LogbookEntry> GetLogbook(long run);
}

public enum CatalogBackend
{
    Sqlite,
    PostgreSql,
}
