using System.Data.Common;
using BeamDAQ.Control.Catalog.Sql;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Catalog.Schema;

/// <summary>
/// Brings a catalog forward to the schema this build writes. Each migration runs in its own write transaction
/// under the dialect's migration lock, re-reading the version first, so several processes opening the same new
/// catalog at once apply each step exactly once. A catalog newer than this build is refused, never touched.
/// </summary>
internal static class Migrator
{
    private const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY,
            applied_utc {TIMESTAMP} NOT NULL,
            description TEXT NOT NULL,
            software TEXT NOT NULL
        )
        """;

    /// <returns>The schema version after migrating.</returns>
    public static int Migrate(DbConnection connection, SqlDialect dialect, IClock clock, int targetVersion)
    {
        int version;
        using (var transaction = dialect.BeginWrite(connection))
        {
            // Also refuses a catalog written by newer software before anything is changed.
            dialect.LockForMigration(connection, transaction);
            Execute(connection, transaction, dialect.Expand(CreateVersionTable));
            version = CurrentVersion(connection, transaction, dialect);
            transaction.Commit();
        }
        foreach (var migration in CatalogMigrations.All.Where(m => m.Version > version && m.Version <= targetVersion))
        {
            using var transaction = dialect.BeginWrite(connection);
            dialect.LockForMigration(connection, transaction);
            version = CurrentVersion(connection, transaction, dialect);   // another process may have got here first
            if (version >= migration.Version)
            {
                transaction.Commit();
                continue;
            }
            if (version != migration.Version - 1)
                throw new CatalogSchemaException(
                    $"the catalog {dialect.DescribeLocation} is at schema version {version}, but the next migration is {migration.Version}");
            foreach (string statement in migration.Statements)
                Execute(connection, transaction, dialect.Expand(statement));
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO schema_version (version, applied_utc, description, software) VALUES (@version, @applied, @description, @software)";
                command.AddParameter("@version", migration.Version);
                command.AddParameter("@applied", dialect.TimestampValue(clock.UtcNow));
                command.AddParameter("@description", migration.Description);
                command.AddParameter("@software", SoftwareVersion.Current);
                command.ExecuteNonQuery();
            }
            transaction.Commit();
            version = migration.Version;
        }
        return version;
    }

    private static int CurrentVersion(DbConnection connection, DbTransaction transaction, SqlDialect dialect)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        int version = Convert.ToInt32(command.ExecuteScalar());
        if (version > CatalogMigrations.LatestVersion)
            throw new CatalogSchemaException(
                $"the catalog {dialect.DescribeLocation} has schema version {version}, but this build ({SoftwareVersion.Current}) " +
                $"knows versions up to {CatalogMigrations.LatestVersion}: use the newer BeamDAQ that wrote it");
        return version;
    }

    private static void Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
