namespace BeamDAQ.Control.Catalog.Sql;

// Crash recovery: a run still 'running' whose control process is gone is closed as 'aborted', with what its file
// still holds, so that the catalog never shows a dead run as live and its counters are as complete as possible.
internal sealed partial class SqlRunCatalog
{
    public IReadOnlyList<RecoveredRun> RecoverInterruptedRuns(long? run = null, bool force = false)
    {
        if (run is { } number)
            CatalogChecks.Run(number);
        lock (_gate)
            return RecoverInterruptedRunsLocked(run, force);
    }

    private List<RecoveredRun> RecoverInterruptedRunsLocked(long? run, bool force)
    {
        var connection = Connection();
        string filter = run is null ? "" : " AND run = @run";
        var running = Query(connection, null, $"SELECT {RunColumns.SelectList} FROM runs WHERE state = @running{filter} ORDER BY run",
            RunColumns.Read,
            command =>
            {
                command.AddParameter("@running", RunStateText.Running);
                if (run is { } r) command.AddParameter("@run", r);
            });
        if (run is { } requested && running.Count == 0)
        {
            var found = FindRun(connection, null, requested) ?? throw Unknown(connection, null, requested);
            throw new CatalogException($"run {requested} is {RunStateText.ToText(found.State)}, not running: there is nothing to recover");
        }

        var recovered = new List<RecoveredRun>();
        foreach (var candidate in running)
        {
            var status = candidate.Owner.Probe();
            if (status != RunOwnerStatus.Gone && !force)
            {
                if (run is not null)
                    throw new CatalogException(
                        $"run {candidate.Run} is running under control process {candidate.Owner}, which " +
                        (status == RunOwnerStatus.Alive ? "is still alive" : "runs on another host") +
                        "; abort it by force only if that process is really gone");
                continue;   // a live run of another control process (or of this one): not ours to close
            }

            // The file is read outside any transaction: hashing a large file must not hold the catalog's write lock.
            var file = candidate.FilePath is { } path ? _options.FileInspector.Inspect(path) : null;
            var now = Now;
            DateTimeOffset? lastActivity = Latest(candidate.ProgressUtc, file?.LastWriteUtc);
            if (lastActivity < candidate.StartUtc)
                lastActivity = candidate.StartUtc;
            string reason = (force && status != RunOwnerStatus.Gone
                    ? $"aborted on request at {CatalogTime.ToText(now)}: control process {candidate.Owner} was {(status == RunOwnerStatus.Alive ? "alive" : "on another host")}"
                    : $"interrupted: control process {candidate.Owner} is gone; marked aborted at {CatalogTime.ToText(now)}")
                + (file is null ? "; no run file recorded" : "; " + file.Description);

            int changed = InWriteTransaction((c, transaction) =>
            {
                var sets = new List<string> { "state = @aborted", "stop_utc = @stop", "end_reason = @reason" };
                if (file?.SizeBytes is not null) sets.Add("file_size_bytes = @size");
                if (file?.Sha256 is not null) sets.Add("file_sha256 = @sha");
                if (file?.Events is not null) sets.Add("events = @events");
                // "AND state = running": another catalog instance recovering at the same moment closes it only once.
                using var command = Command(c, transaction, $"UPDATE runs SET {string.Join(", ", sets)} WHERE run = @run AND state = @running");
                command.AddParameter("@aborted", RunStateText.Aborted);
                AddTime(command, "@stop", lastActivity);
                command.AddParameter("@reason", reason);
                if (file?.SizeBytes is { } size) command.AddParameter("@size", size);
                if (file?.Sha256 is { } sha) command.AddParameter("@sha", sha);
                if (file?.Events is { } events) command.AddParameter("@events", events);
                command.AddParameter("@run", candidate.Run);
                command.AddParameter("@running", RunStateText.Running);
                return command.ExecuteNonQuery();
            });
            if (changed == 1)
                recovered.Add(new RecoveredRun(candidate.Run, reason, file));
        }
        return recovered;
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;
}
