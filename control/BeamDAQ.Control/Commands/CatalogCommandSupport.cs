using System.CommandLine;
using BeamDAQ.Control.Catalog;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Commands;

/// <summary>
/// What the catalog commands share: the --catalog option (PATH or a PostgreSQL connection string; default
/// $BEAMDAQ_CATALOG, else runs/catalog.sqlite) and the mapping of catalog failures to exit codes: a run that does
/// not exist, a catalog that does not exist or a bad value is bad usage (2); anything else is a runtime failure (1).
/// </summary>
internal static class CatalogCommandSupport
{
    public const string Program = "beamdaq-control";

    public static Option<string?> CatalogOption() => new("--catalog")
    {
        Description = $"The run catalog: a SQLite file or a PostgreSQL connection string (Host=...). " +
                      $"Default: ${RunCatalog.EnvironmentVariable}, else {RunCatalog.DefaultPath}",
        HelpName = "PATH|CONNSTRING",
        Recursive = true,
    };

    public static Option<bool> JsonOption(string description = "Write one JSON object to stdout instead of the human table") =>
        new("--json") { Description = description };

    public static IRunCatalog Open(ParseResult parse, Option<string?> catalogOption, bool createIfMissing) =>
        RunCatalog.Open(RunCatalog.ResolveLocation(parse.GetValue(catalogOption)),
            RunCatalogOptions.Default with { CreateIfMissing = createIfMissing });

    /// <summary>Runs a command body and turns the catalog's expected failures into a one-line message and an exit code.</summary>
    public static int Run(CommandConsole console, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is UnknownRunException or CatalogNotFoundException or ArgumentException or UsageException)
        {
            console.Error.WriteLine($"{Program}: {e.Message}");
            return ExitCodes.BadUsage;
        }
        catch (CatalogException e)
        {
            console.Error.WriteLine($"{Program}: {e.Message}");
            return ExitCodes.RuntimeFailure;
        }
    }
}
