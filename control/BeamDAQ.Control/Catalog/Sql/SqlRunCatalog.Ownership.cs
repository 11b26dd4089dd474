namespace BeamDAQ.Control.Catalog.Sql;

// Ownership hand-over: a control node that restarts while the front end keeps recording adopts the running run,
// so that crash recovery no longer takes it for the run of a dead process.
internal sealed partial class SqlRunCatalog
{
    public RunRecord TakeOverRun(long run)
    {
        CatalogChecks.Run(run);
        lock (_gate)
        {
            var owner = _options.Owner;
            InWriteTransaction((connection, transaction) =>
            {
                RequireRunning(connection, transaction, run);
                using var command = Command(connection, transaction,
                    "UPDATE runs SET owner_host = @host, owner_pid = @pid, owner_process_start_utc = @process_start WHERE run = @run AND state = @running");
                command.AddParameter("@host", owner.Host);
                command.AddParameter("@pid", owner.ProcessId);
                AddTime(command, "@process_start", owner.ProcessStartUtc);
                command.AddParameter("@run", run);
                command.AddParameter("@running", RunStateText.Running);
                return command.ExecuteNonQuery();
            });
            return FindRun(Connection(), null, run) ?? throw Unknown(Connection(), null, run);
        }
    }
}
