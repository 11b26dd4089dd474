namespace BeamDAQ.Control.Catalog.Sql;

// Reading the catalog.
internal sealed partial class SqlRunCatalog
{
    private const string FitColumns = "id, run, t_utc, lambda, lambda_error, interval_low, interval_high, lambda_zero_fraction, chi2, ndf, p_value, converged, model, result_json, software_version";

    public RunRange? KnownRuns()
    {
        lock (_gate)
            return KnownRuns(Connection(), null);
    }

    public RunRecord GetRun(long run)
    {
        lock (_gate)
        {
            var connection = Connection();
            return FindRun(connection, null, run) ?? throw Unknown(connection, null, run);
        }
    }

    public RunRecord? FindRun(long run)
    {
        lock (_gate)
            return FindRun(Connection(), null, run);
    }

    public IReadOnlyList<RunSummary> ListRuns(int? last = null)
    {
        if (last is <= 0)
            throw new ArgumentException($"last must be positive, got {last}", nameof(last));
        lock (_gate)
        {
            // The latest fit of each run (highest id) rides along; a run without fits has none.
            string sql = $"""
                SELECT r.run, r.state, r.operator, r.comment, r.start_utc, r.stop_utc, r.events, r.missed_triggers,
                       {string.Join(", ", RunColumns.Settings.Where(s => s.Column.StartsWith("exit_", StringComparison.Ordinal)).Select(s => "r." + s.Column))},
                       f.lambda, f.lambda_error
                FROM runs r
                LEFT JOIN fits f ON f.id = (SELECT MAX(id) FROM fits WHERE fits.run = r.run)
                ORDER BY r.run DESC
                {(last is null ? "" : "LIMIT @last")}
                """;
            var rows = Query(Connection(), null, sql, row =>
            {
                long run = row.Int64("run");
                return new RunSummary(run, RunStateText.Parse(row.String("state"), run), row.String("operator"), row.String("comment"),
                    row.Time("start_utc"), row.NullableTime("stop_utc"), row.NullableInt64("events"), row.NullableInt64("missed_triggers"),
                    RunColumns.ReadCollimator(row, "exit"), row.NullableDouble("lambda"), row.NullableDouble("lambda_error"));
            }, command =>
            {
                if (last is { } n) command.AddParameter("@last", n);
            });
            rows.Reverse();
            return rows;
        }
    }

    public RunDetails GetRunDetails(long run)
    {
        lock (_gate)
        {
            var connection = Connection();
            var record = FindRun(connection, null, run) ?? throw Unknown(connection, null, run);
            return new RunDetails(record, FitsOf(run), AlarmsWhere("run = @run", run), DeviceLossesOf(run),
                LogbookWhere("run = @run", run), SlowControlWhere("run = @run", run));
        }
    }

    public IReadOnlyList<FitRecord> GetFits(long run)
    {
        lock (_gate)
            return FitsOf(run);
    }

    public IReadOnlyList<AlarmRecord> GetAlarms(long run)
    {
        lock (_gate)
            return AlarmsWhere("run = @run", run);
    }

    public IReadOnlyList<AlarmRecord> GetAlarmsOutsideRuns()
    {
        lock (_gate)
            return AlarmsWhere("run IS NULL", null);
    }

    public IReadOnlyList<DeviceLossInterval> GetDeviceLosses(long run)
    {
        lock (_gate)
            return DeviceLossesOf(run);
    }

    public IReadOnlyList<SlowControlReading> GetSlowControl(long run)
    {
        lock (_gate)
            return SlowControlWhere("run = @run", run);
    }

    public IReadOnlyList<SlowControlReading> GetSlowControlOutsideRuns()
    {
        lock (_gate)
            return SlowControlWhere("run IS NULL", null);
    }

    public IReadOnlyList<LogbookEntry> GetLogbook()
    {
        lock (_gate)
            return LogbookWhere("1 = 1", null);
    }

    public IReadOnlyList<LogbookEntry> GetLogbook(long run)
    {
        lock (_gate)
            return LogbookWhere("run = @run", run);
    }

    private List<FitRecord> FitsOf(long run) =>
        Query(Connection(), null, $"SELECT {FitColumns} FROM fits WHERE run = @run ORDER BY t_utc, id", row => new FitRecord
        {
            Id = row.Int64("id"),
            Run = row.Int64("run"),
            TimeUtc = row.Time("t_utc"),
            Lambda = row.Double("lambda"),
            LambdaError = row.NullableDouble("lambda_error"),
            IntervalLow = row.NullableDouble("interval_low"),
            IntervalHigh = row.NullableDouble("interval_high"),
            LambdaZeroFraction = row.NullableDouble("lambda_zero_fraction"),
            Chi2 = row.NullableDouble("chi2"),
            Ndf = row.NullableInt64("ndf"),
            PValue = row.NullableDouble("p_value"),
            Converged = row.Boolean("converged"),
            Model = row.String("model"),
            ResultJson = row.NullableString("result_json"),
            SoftwareVersion = row.String("software_version"),
        }, command => command.AddParameter("@run", run));

    private List<AlarmRecord> AlarmsWhere(string condition, long? run) =>
        Query(Connection(), null, $"SELECT id, run, t_utc, source, severity, code, message FROM alarms WHERE {condition} ORDER BY t_utc, id",
            row => new AlarmRecord(row.NullableInt64("run"), row.Time("t_utc"), row.String("source"), row.String("severity"),
                row.String("code"), row.String("message")) { Id = row.Int64("id") },
            command => { if (run is { } r) command.AddParameter("@run", r); });

    private List<DeviceLossInterval> DeviceLossesOf(long run) =>
        Query(Connection(), null, "SELECT id, run, device, start_utc, end_utc, triggers_missed FROM device_losses WHERE run = @run ORDER BY start_utc, id",
            row => new DeviceLossInterval(row.Int64("run"), row.String("device"), row.Time("start_utc"), row.NullableTime("end_utc"),
                row.NullableInt64("triggers_missed")) { Id = row.Int64("id") },
            command => command.AddParameter("@run", run));

    private List<SlowControlReading> SlowControlWhere(string condition, long? run) =>
        Query(Connection(), null, $"SELECT id, run, t_utc, device, quantity, value, unit FROM slow_control WHERE {condition} ORDER BY t_utc, id",
            row => new SlowControlReading(row.NullableInt64("run"), row.Time("t_utc"), row.String("device"), row.String("quantity"),
                row.Double("value"), row.String("unit")) { Id = row.Int64("id") },
            command => { if (run is { } r) command.AddParameter("@run", r); });

    private List<LogbookEntry> LogbookWhere(string condition, long? run) =>
        Query(Connection(), null, $"SELECT id, t_utc, author, text, run FROM logbook WHERE {condition} ORDER BY t_utc, id",
            row => new LogbookEntry(row.Time("t_utc"), row.String("author"), row.String("text"), row.NullableInt64("run")) { Id = row.Int64("id") },
            command => { if (run is { } r) command.AddParameter("@run", r); });
}
