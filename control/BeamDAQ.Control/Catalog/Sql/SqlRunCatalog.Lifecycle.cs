using System.Data.Common;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Catalog.Sql;

// Run lifecycle: allocation, what is recorded while a run is open, and its end.
internal sealed partial class SqlRunCatalog
{
    public RunAllocation AllocateRun(RunStart start)
    {
        CatalogChecks.Start(start);
        lock (_gate)
        {
            var recovered = RecoverInterruptedRunsLocked(null, force: false);
            var startUtc = CatalogTime.Normalize(start.StartUtc ?? Now);
            var owner = _options.Owner;
            long run = InWriteTransaction((connection, transaction) =>
            {
                // The counter's row lock queues concurrent allocators; the number and the run commit together.
                using (var increment = Command(connection, transaction, "UPDATE run_counter SET last_run = last_run + 1 WHERE id = 1"))
                    increment.ExecuteNonQuery();
                long number;
                using (var read = Command(connection, transaction, "SELECT last_run FROM run_counter WHERE id = 1"))
                    number = Convert.ToInt64(read.ExecuteScalar());
                using (var insert = Command(connection, transaction, """
                    INSERT INTO runs (run, state, operator, comment, start_utc, file_path, configuration_json,
                                      applied_settings_json, software_version, owner_host, owner_pid, owner_process_start_utc)
                    VALUES (@run, @state, @operator, @comment, @start, @file, @configuration,
                            @applied, @software, @host, @pid, @process_start)
                    """))
                {
                    insert.AddParameter("@run", number);
                    insert.AddParameter("@state", RunStateText.Running);
                    insert.AddParameter("@operator", start.Operator);
                    insert.AddParameter("@comment", start.Comment);
                    AddTime(insert, "@start", startUtc);
                    insert.AddParameter("@file", start.FilePath);
                    insert.AddParameter("@configuration", start.ConfigurationJson);
                    insert.AddParameter("@applied", start.AppliedSettingsJson);
                    insert.AddParameter("@software", start.SoftwareVersion ?? SoftwareVersion.Current);
                    insert.AddParameter("@host", owner.Host);
                    insert.AddParameter("@pid", owner.ProcessId);
                    AddTime(insert, "@process_start", owner.ProcessStartUtc);
                    insert.ExecuteNonQuery();
                }
                if (start.Settings is { } settings)
                    WriteSettings(connection, transaction, number, settings);
                return number;
            });
            return new RunAllocation(run, startUtc, recovered);
        }
    }

    public void RecordConfiguration(long run, string? configurationJson, string? appliedSettingsJson)
    {
        CatalogChecks.Run(run);
        CatalogChecks.Json(configurationJson, "configurationJson");
        CatalogChecks.Json(appliedSettingsJson, "appliedSettingsJson");
        lock (_gate)
            InWriteTransaction((connection, transaction) =>
            {
                RequireRunning(connection, transaction, run);
                using var command = Command(connection, transaction,
                    "UPDATE runs SET configuration_json = @configuration, applied_settings_json = @applied WHERE run = @run");
                command.AddParameter("@configuration", configurationJson);
                command.AddParameter("@applied", appliedSettingsJson);
                command.AddParameter("@run", run);
                return command.ExecuteNonQuery();
            });
    }

    public void RecordSettings(long run, RunSettings settings)
    {
        CatalogChecks.Run(run);
        ArgumentNullException.ThrowIfNull(settings);
        CatalogChecks.Settings(settings);
        lock (_gate)
            InWriteTransaction((connection, transaction) =>
            {
                RequireRunning(connection, transaction, run);
                WriteSettings(connection, transaction, run, settings);
                return 0;
            });
    }

    public void RecordFile(long run, string path, long? sizeBytes = null, string? sha256 = null)
    {
        CatalogChecks.Run(run);
        CatalogChecks.NotBlank(path, "path");
        CatalogChecks.NonNegative(sizeBytes, "sizeBytes");
        CatalogChecks.Sha256(sha256, "sha256");
        lock (_gate)
            InWriteTransaction((connection, transaction) =>
            {
                RequireRunning(connection, transaction, run);
                using var command = Command(connection, transaction,
                    "UPDATE runs SET file_path = @path, file_size_bytes = @size, file_sha256 = @sha WHERE run = @run");
                command.AddParameter("@path", path);
                command.AddParameter("@size", sizeBytes);
                command.AddParameter("@sha", sha256);
                command.AddParameter("@run", run);
                return command.ExecuteNonQuery();
            });
    }

    public void RecordProgress(long run, RunProgress progress)
    {
        CatalogChecks.Run(run);
        CatalogChecks.Progress(progress);
        lock (_gate)
            InWriteTransaction((connection, transaction) =>
            {
                RequireRunning(connection, transaction, run);
                using var command = Command(connection, transaction, """
                    UPDATE runs SET events = @events, missed_triggers = @missed, dead_time_fraction = @dead, progress_utc = @t
                    WHERE run = @run
                    """);
                command.AddParameter("@events", progress.Events);
                command.AddParameter("@missed", progress.MissedTriggers);
                command.AddParameter("@dead", progress.DeadTimeFraction);
                AddTime(command, "@t", progress.TimeUtc ?? Now);
                command.AddParameter("@run", run);
                return command.ExecuteNonQuery();
            });
    }

    public void EndRun(long run, RunEnd end)
    {
        CatalogChecks.Run(run);
        CatalogChecks.End(end);
        lock (_gate)
            InWriteTransaction((connection, transaction) =>
            {
                var start = RequireRunning(connection, transaction, run);
                var stop = CatalogTime.Normalize(end.StopUtc ?? Now);
                if (stop < start)
                    throw new ArgumentException(
                        $"RunEnd.StopUtc {CatalogTime.ToText(stop)} is before run {run}'s start {CatalogTime.ToText(start)}", nameof(end));
                // File columns only when given, so an end without a digest keeps what RecordFile stored.
                var sets = new List<string>
                {
                    "state = @state", "stop_utc = @stop", "end_reason = @reason", "events = @events",
                    "missed_triggers = @missed", "dead_time_fraction = @dead", "progress_utc = @stop",
                };
                if (end.FilePath is not null) sets.Add("file_path = @path");
                if (end.FileSizeBytes is not null) sets.Add("file_size_bytes = @size");
                if (end.FileSha256 is not null) sets.Add("file_sha256 = @sha");
                using var command = Command(connection, transaction,
                    $"UPDATE runs SET {string.Join(", ", sets)} WHERE run = @run AND state = @running");
                command.AddParameter("@state", end.Aborted ? RunStateText.Aborted : RunStateText.Ended);
                AddTime(command, "@stop", stop);
                command.AddParameter("@reason", end.Reason);
                command.AddParameter("@events", end.Events);
                command.AddParameter("@missed", end.MissedTriggers);
                command.AddParameter("@dead", end.DeadTimeFraction);
                if (end.FilePath is not null) command.AddParameter("@path", end.FilePath);
                if (end.FileSizeBytes is not null) command.AddParameter("@size", end.FileSizeBytes);
                if (end.FileSha256 is not null) command.AddParameter("@sha", end.FileSha256);
                command.AddParameter("@run", run);
                command.AddParameter("@running", RunStateText.Running);
                return command.ExecuteNonQuery();
            });
    }

    private void WriteSettings(DbConnection connection, DbTransaction transaction, long run, RunSettings settings)
    {
        var columns = RunColumns.Settings;
        using var command = Command(connection, transaction,
            $"UPDATE runs SET {string.Join(", ", columns.Select(c => $"{c.Column} = @{c.Column}"))} WHERE run = @run");
        foreach (var (column, value) in columns)
            command.AddParameter("@" + column, value(settings));
        command.AddParameter("@run", run);
        command.ExecuteNonQuery();
    }
}
