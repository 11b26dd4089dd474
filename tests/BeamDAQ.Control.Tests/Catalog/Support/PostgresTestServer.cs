using System.Diagnostics;
using BeamDAQ.TestSupport;
using Npgsql;

namespace BeamDAQ.Control.Tests.Catalog.Support;

/// <summary>
/// The real PostgreSQL server the catalog's contract runs against: $BEAMDAQ_TEST_POSTGRES when set (run-scripts/test.sh
/// sets it), else whatever run-scripts/postgres-test-server.sh starts (it is idempotent). When there is no server the
/// PostgreSQL tests fail saying so — or, with BEAMDAQ_SKIP_POSTGRES=1, are reported as skipped with the reason.
/// They never pass silently.
/// </summary>
internal static class PostgresTestServer
{
    public const string ConnectionVariable = "BEAMDAQ_TEST_POSTGRES";
    public const string SkipVariable = "BEAMDAQ_SKIP_POSTGRES";

    private static readonly Lazy<(string? ConnectionString, string? Problem)> Server = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server's connection string, or the test fails (or is skipped) with why there is none.</summary>
    public static string ConnectionString()
    {
        var (connectionString, problem) = Server.Value;
        if (connectionString is not null)
            return connectionString;
        string message = $"the PostgreSQL catalog tests cannot run: {problem}. Start a server with run-scripts/postgres-test-server.sh " +
                         $"or set {ConnectionVariable} to a connection string; set {SkipVariable}=1 to report these tests as skipped instead";
        if (Environment.GetEnvironmentVariable(SkipVariable) == "1")
            throw new SkipTestException(message);
        throw new InvalidOperationException(message);
    }

    private static (string?, string?) Resolve()
    {
        string? connectionString = Environment.GetEnvironmentVariable(ConnectionVariable);
        string source = $"${ConnectionVariable}";
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var started = StartWithScript();
            if (started.Problem is not null)
                return (null, started.Problem);
            connectionString = started.ConnectionString!;
            source = "run-scripts/postgres-test-server.sh";
        }
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            return (connectionString, null);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            return (null, $"cannot connect to the server from {source} ({Redacted(connectionString)}): {e.Message}");
        }
    }

    private static (string? ConnectionString, string? Problem) StartWithScript()
    {
        string? script = FindScript();
        if (script is null)
            return (null, $"no run-scripts/postgres-test-server.sh above {AppContext.BaseDirectory}");
        var info = new ProcessStartInfo("bash", [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            return (null, $"{script} did not finish within 120 s");
        }
        string output = stdout.Result.Trim();
        if (process.ExitCode != 0 || output.Length == 0)
            return (null, $"{script} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        return (output.Split('\n')[^1].Trim(), null);
    }

    private static string? FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "run-scripts", "postgres-test-server.sh");
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private static string Redacted(string connectionString)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString) { Password = null }.ToString();
        }
        catch (ArgumentException)
        {
            return "(unparsable connection string)";
        }
    }
}

/// <summary>
/// A schema of its own for one test, so tests never see each other's runs; dropped afterwards. Pooling is off so
/// that a disposed catalog really closes its connection (the test server allows few connections).
/// </summary>
internal sealed class PostgresTestSchema : IDisposable
{
    private readonly string _adminConnectionString;

    public PostgresTestSchema()
    {
        _adminConnectionString = new NpgsqlConnectionStringBuilder(PostgresTestServer.ConnectionString()) { Pooling = false }.ToString();
        Name = "catalog_test_" + Guid.NewGuid().ToString("N")[..16];
        Execute($"CREATE SCHEMA {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { SearchPath = Name }.ToString();
    }

    public string Name { get; }

    /// <summary>Connects with the search path set to this schema: the catalog's tables land here.</summary>
    public string ConnectionString { get; }

    public void Dispose() => Execute($"DROP SCHEMA IF EXISTS {Name} CASCADE");

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_adminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
