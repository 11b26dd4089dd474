using System.Data.Common;

namespace BeamDAQ.Control.Catalog.Sql;

/// <summary>
/// What differs between SQLite and PostgreSQL; everything else is the shared SQL of <see cref="SqlRunCatalog"/>.
/// Schema statements use type tokens ({ID}, {BIGINT}, {DOUBLE}, {TIMESTAMP}, {BOOL}) that the dialect expands.
/// </summary>
internal abstract class SqlDialect
{
    public abstract CatalogBackend Backend { get; }

    /// <summary>The location as shown to people (never a password).</summary>
    public abstract string DescribeLocation { get; }

    public abstract DbConnection OpenConnection();

    /// <summary>A transaction that takes the write lock at once, so that concurrent writers queue instead of failing.</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>Serializes migrations of concurrent openers inside their transaction.</summary>
    public abstract void LockForMigration(DbConnection connection, DbTransaction transaction);

    protected abstract string IdentityColumn { get; }
    protected abstract string BigIntType { get; }
    protected abstract string DoubleType { get; }
    protected abstract string TimestampType { get; }
    protected abstract string BooleanType { get; }

    public string Expand(string sql) => sql
        .Replace("{ID}", IdentityColumn, StringComparison.Ordinal)
        .Replace("{BIGINT}", BigIntType, StringComparison.Ordinal)
        .Replace("{DOUBLE}", DoubleType, StringComparison.Ordinal)
        .Replace("{TIMESTAMP}", TimestampType, StringComparison.Ordinal)
        .Replace("{BOOL}", BooleanType, StringComparison.Ordinal);

    /// <summary>A timestamp as a parameter value for a {TIMESTAMP} column.</summary>
    public abstract object TimestampValue(DateTimeOffset time);

    public abstract DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal);
}
