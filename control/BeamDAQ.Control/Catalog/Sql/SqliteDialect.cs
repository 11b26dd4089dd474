using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace BeamDAQ.Control.Catalog.Sql;

/// <summary>
/// The embedded catalog: one SQLite file in WAL mode (readers never block the writer), synchronous=FULL (a
/// committed run number survives a power cut, so it is never handed out twice), foreign keys on, and a busy
/// time-out so that concurrent writers wait for each other. Times are ISO-8601 text that sorts chronologically.
/// </summary>
internal sealed class SqliteDialect : SqlDialect
{
    static SqliteDialect() => SQLitePCL.Batteries_V2.Init();

    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private readonly bool _createIfMissing;

    public SqliteDialect(string path, bool createIfMissing)
    {
        _path = Path.GetFullPath(path);
        _createIfMissing = createIfMissing;
    }

    public override CatalogBackend Backend => CatalogBackend.Sqlite;
    public override string DescribeLocation => _path;

    public override DbConnection OpenConnection()
    {
        if (!File.Exists(_path))
        {
            if (!_createIfMissing)
                throw new CatalogNotFoundException(_path);
            if (Path.GetDirectoryName(_path) is { Length: > 0 } directory)
                Directory.CreateDirectory(directory);
        }
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,   // a disposed catalog must really close the file
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA journal_mode = WAL";
                string mode = Convert.ToString(command.ExecuteScalar()) ?? "";
                if (!mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
                    throw new CatalogException($"the catalog {_path} cannot use write-ahead logging (journal mode stays '{mode}')");
            }
            Execute(connection, "PRAGMA synchronous = FULL");
            Execute(connection, "PRAGMA foreign_keys = ON");
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new CatalogException($"cannot open the SQLite catalog {_path}: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override DbTransaction BeginWrite(DbConnection connection) =>
        ((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false);   // BEGIN IMMEDIATE

    public override void LockForMigration(DbConnection connection, DbTransaction transaction)
    {
        // BEGIN IMMEDIATE already holds the database's write lock.
    }

    protected override string IdentityColumn => "INTEGER PRIMARY KEY";
    protected override string BigIntType => "INTEGER";
    protected override string DoubleType => "REAL";
    protected override string TimestampType => "TEXT";
    protected override string BooleanType => "INTEGER";

    public override object TimestampValue(DateTimeOffset time) => CatalogTime.ToText(time);

    public override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) => CatalogTime.ParseText(reader.GetString(ordinal));

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
