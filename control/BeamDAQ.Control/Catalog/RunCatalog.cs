using System.Data.Common;
using BeamDAQ.Control.Catalog.Sql;

namespace BeamDAQ.Control.Catalog;

/// <summary>
/// Opens a run catalog from where it lives: a file path (SQLite) or a PostgreSQL connection string
/// ("Host=...;Database=...;Username=..."). Opening applies any pending schema migrations.
/// </summary>
public static class RunCatalog
{
    /// <summary>The catalog a control node uses when nothing else is said (relative to the working directory).</summary>
    public const string DefaultPath = "runs/catalog.sqlite";

    /// <summary>Names the catalog when no --catalog option is given.</summary>
    public const string EnvironmentVariable = "BEAMDAQ_CATALOG";

    /// <summary>The explicit location if given, else $BEAMDAQ_CATALOG, else <see cref="DefaultPath"/>.</summary>
    public static string ResolveLocation(string? explicitLocation) =>
        !string.IsNullOrWhiteSpace(explicitLocation) ? explicitLocation
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : DefaultPath;

    public static IRunCatalog Open(string location, RunCatalogOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        options ??= RunCatalogOptions.Default;
        return IsPostgresConnectionString(location)
            ? OpenPostgres(location, options)
            : OpenSqlite(SqlitePath(location), options);
    }

    public static IRunCatalog OpenSqlite(string path, RunCatalogOptions? options = null)
    {
        options ??= RunCatalogOptions.Default;
        return new SqlRunCatalog(new SqliteDialect(path, options.CreateIfMissing), options);
    }

    public static IRunCatalog OpenPostgres(string connectionString, RunCatalogOptions? options = null) =>
        new SqlRunCatalog(new PostgresDialect(connectionString), options ?? RunCatalogOptions.Default);

    /// <summary>A connection string naming a server (Host= or Server=) means PostgreSQL; anything else is a file.</summary>
    public static bool IsPostgresConnectionString(string location)
    {
        var keys = ConnectionStringKeys(location);
        return keys is not null && (keys.ContainsKey("host") || keys.ContainsKey("server"));
    }

    // "Data Source=x.sqlite" is accepted as well as a bare path.
    private static string SqlitePath(string location) =>
        ConnectionStringKeys(location) is { } keys && keys.TryGetValue("data source", out var path) ? path : location;

    private static Dictionary<string, string>? ConnectionStringKeys(string location)
    {
        if (!location.Contains('='))
            return null;
        try
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = location };
            return builder.Keys.Cast<string>().ToDictionary(k => k.ToLowerInvariant(), k => Convert.ToString(builder[k]) ?? "");
        }
        catch (ArgumentException)
        {
            return null;   // not a connection string: a file name that happens to contain '='
        }
    }
}
