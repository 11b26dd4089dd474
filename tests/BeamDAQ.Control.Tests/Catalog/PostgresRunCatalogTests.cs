using System.Data.Common;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.Tests.Catalog.Support;
using BeamDAQ.TestSupport;
using Npgsql;

namespace BeamDAQ.Control.Tests.Catalog;

/// <summary>
/// The catalog contract against a real PostgreSQL server (run-scripts/postgres-test-server.sh), in a schema of its
/// own per test. Without a server every test here fails saying why, or is skipped with BEAMDAQ_SKIP_POSTGRES=1.
/// </summary>
public sealed class PostgresRunCatalogTests : RunCatalogContract
{
    private readonly PostgresTestSchema _schema = new();

    protected override string Location => _schema.ConnectionString;
    protected override CatalogBackend ExpectedBackend => CatalogBackend.PostgreSql;

    protected override DbConnection OpenRawConnection()
    {
        var connection = new NpgsqlConnection(_schema.ConnectionString);
        connection.Open();
        return connection;
    }

    public override void Dispose()
    {
        base.Dispose();
        _schema.Dispose();
    }

    [SkippableFact]
    public void WhenTheCatalogIsOpenedThenItsLocationNeverShowsThePassword()
    {
        var catalog = Open();

        Assert.DoesNotContain("Password", catalog.Location, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(_schema.Name, catalog.Location);
    }
}
