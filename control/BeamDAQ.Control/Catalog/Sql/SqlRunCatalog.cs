using System.Data;
using System.Data.Common;
using BeamDAQ.Control.Catalog.Schema;

namespace BeamDAQ.Control.Catalog.Sql;

/// <summary>
/// The run catalog over ADO.NET: one shared set of SQL statements, a <see cref="SqlDialect"/> for what SQLite and
/// PostgreSQL do differently. One connection per instance, calls serialized by a lock (the catalog sees a few
/// writes per second; a second instance, in this process or another, gets its own connection).
/// </summary>
internal sealed partial class SqlRunCatalog : IRunCatalog
{
    private readonly SqlDialect _dialect;
    private readonly RunCatalogOptions _options;
    private readonly Lock _gate = new();
    private DbConnection _connection;
    private bool _disposed;

    public SqlRunCatalog(SqlDialect dialect, RunCatalogOptions options)
    {
        _dialect = dialect;
        _options = options;
        _connection = dialect.OpenConnection();
        try
        {
            SchemaVersion = Migrator.Migrate(_connection, dialect, options.Clock,
                options.MigrateToVersion ?? CatalogMigrations.LatestVersion);
        }
        catch (DbException e)
        {
            _connection.Dispose();
            throw new CatalogException($"cannot bring the catalog {dialect.DescribeLocation} to schema version {CatalogMigrations.LatestVersion}: {e.Message}", e);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    public CatalogBackend Backend => _dialect.Backend;
    public string Location => _dialect.DescribeLocation;
    public int SchemaVersion { get; }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _connection.Dispose();
        }
    }

    // --- plumbing: every public method takes the gate once and then uses these ---

    /// <summary>The connection, reopened when the server dropped it (a restarted PostgreSQL, for instance).</summary>
    private DbConnection Connection()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection.State != ConnectionState.Open)
        {
            _connection.Dispose();
            _connection = _dialect.OpenConnection();
        }
        return _connection;
    }

    private T InWriteTransaction<T>(Func<DbConnection, DbTransaction, T> body)
    {
        var connection = Connection();
        using var transaction = _dialect.BeginWrite(connection);
        T result = body(connection, transaction);
        transaction.Commit();
        return result;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private void AddTime(DbCommand command, string name, DateTimeOffset? time) =>
        command.AddParameter(name, time is { } t ? _dialect.TimestampValue(t) : null);

    private DateTimeOffset Now => CatalogTime.Normalize(_options.Clock.UtcNow);

    private List<T> Query<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<Row, T> map, Action<DbCommand>? bind = null)
    {
        using var command = Command(connection, transaction, sql);
        bind?.Invoke(command);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(map(new Row(reader, _dialect)));
        return rows;
    }

    private RunRange? KnownRuns(DbConnection connection, DbTransaction? transaction)
    {
        using var command = Command(connection, transaction, "SELECT MIN(run), MAX(run), COUNT(*) FROM runs");
        using var reader = command.ExecuteReader();
        reader.Read();
        long count = reader.GetInt64(2);
        return count == 0 ? null : new RunRange(reader.GetInt64(0), reader.GetInt64(1), count);
    }

    private UnknownRunException Unknown(DbConnection connection, DbTransaction? transaction, long run) =>
        new(run, KnownRuns(connection, transaction), Location);

    private RunRecord? FindRun(DbConnection connection, DbTransaction? transaction, long run) =>
        Query(connection, transaction, $"SELECT {RunColumns.SelectList} FROM runs WHERE run = @run", RunColumns.Read,
            command => command.AddParameter("@run", run)).SingleOrDefault();

    /// <summary>The run must exist (for records attached to it).</summary>
    private void RequireExists(DbConnection connection, DbTransaction? transaction, long run)
    {
        using var command = Command(connection, transaction, "SELECT COUNT(*) FROM runs WHERE run = @run");
        command.AddParameter("@run", run);
        if (Convert.ToInt64(command.ExecuteScalar()) == 0)
            throw Unknown(connection, transaction, run);
    }

    /// <summary>The run must exist and still be running (its record is open); returns its start time.</summary>
    private DateTimeOffset RequireRunning(DbConnection connection, DbTransaction transaction, long run)
    {
        var found = Query(connection, transaction, "SELECT state, start_utc, stop_utc FROM runs WHERE run = @run",
            row => (State: row.String("state"), Start: row.Time("start_utc"), Stop: row.NullableTime("stop_utc")),
            command => command.AddParameter("@run", run));
        if (found.Count == 0)
            throw Unknown(connection, transaction, run);
        var (state, start, stop) = found[0];
        if (state != RunStateText.Running)
            throw new CatalogException(
                $"run {run} is {state}{(stop is { } s ? " since " + CatalogTime.ToText(s) : "")}: its record is closed and is never overwritten");
        return start;
    }
}
