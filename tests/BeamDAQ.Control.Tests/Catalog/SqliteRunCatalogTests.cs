using System.Data.Common;
using BeamDAQ.Control.Catalog;
using BeamDAQ.TestSupport;
using Microsoft.Data.Sqlite;

namespace BeamDAQ.Control.Tests.Catalog;

/// <summary>The catalog contract against a real SQLite file (a new one per test), plus what only SQLite has.</summary>
public sealed class SqliteRunCatalogTests : RunCatalogContract
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beamdaq-sqlite-catalog-").FullName;

    protected override string Location => Path.Combine(_directory, "runs", "catalog.sqlite");
    protected override CatalogBackend ExpectedBackend => CatalogBackend.Sqlite;

    protected override DbConnection OpenRawConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Location, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [SkippableFact]
    public void WhenTheCatalogIsCreatedThenItIsAFileInWriteAheadLogMode()
    {
        using (Open()) { }

        Assert.True(File.Exists(Location));
        using var connection = OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [SkippableFact]
    public void WhenAReaderOpensAMissingCatalogThenItIsRefusedAndNoFileIsCreated()
    {
        var missing = Assert.Throws<CatalogNotFoundException>(() => Open(new RunCatalogOptions { CreateIfMissing = false }));

        Assert.Contains(Location, missing.Message);
        Assert.False(File.Exists(Location));
    }

    [SkippableFact]
    public void WhenTheLocationIsAConnectionStringWithAHostThenItIsPostgresOtherwiseAFile()
    {
        Assert.True(RunCatalog.IsPostgresConnectionString("Host=db.example;Database=beamdaq;Username=daq"));
        Assert.True(RunCatalog.IsPostgresConnectionString("server=10.0.0.5; port=5432; database=c"));
        Assert.False(RunCatalog.IsPostgresConnectionString("runs/catalog.sqlite"));
        Assert.False(RunCatalog.IsPostgresConnectionString("Data Source=runs/catalog.sqlite"));
        Assert.False(RunCatalog.IsPostgresConnectionString("runs/a=b.sqlite"));
    }
}
