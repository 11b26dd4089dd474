namespace BeamDAQ.Control.Catalog;

/// <summary>
/// The catalog cannot do what was asked: it cannot be opened, a run is not in the state the request needs, or a
/// stored value makes no sense. The message names the catalog, the run and the value.
/// </summary>
public class CatalogException : Exception
{
    public CatalogException(string message) : base(message) { }
    public CatalogException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A run number the catalog has never allocated. Carries the number and the catalog's known range.</summary>
public sealed class UnknownRunException(long run, RunRange? known, string location)
    : CatalogException(known is null
        ? $"run {run} is not in the catalog {location}: the catalog has no runs yet"
        : $"run {run} is not in the catalog {location}: known runs are {known} ({known.Count} runs)")
{
    public long Run { get; } = run;
    public RunRange? Known { get; } = known;
}

/// <summary>The catalog was written by newer software (a schema version this build does not know).</summary>
public sealed class CatalogSchemaException(string message) : CatalogException(message);

/// <summary>A catalog file that does not exist, opened by a reader that must not create it.</summary>
public sealed class CatalogNotFoundException(string path)
    : CatalogException($"there is no run catalog at '{path}' (give --catalog PATH|CONNECTION-STRING or set {RunCatalog.EnvironmentVariable})")
{
    public string Path { get; } = path;
}
