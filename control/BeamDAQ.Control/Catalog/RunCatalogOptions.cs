using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.Catalog;

/// <summary>How a catalog is opened. The defaults are those of a control node.</summary>
public sealed record RunCatalogOptions
{
    public static RunCatalogOptions Default { get; } = new();

    /// <summary>Time of allocations, logbook entries, recoveries and migrations when the caller gives none.</summary>
    public IClock Clock { get; init; } = SystemClock.Instance;

    /// <summary>Recorded with every run this catalog instance allocates.</summary>
    public RunOwner Owner { get; init; } = RunOwner.CurrentProcess;

    /// <summary>How crash recovery reads a run file that was cut short.</summary>
    public IRunFileInspector FileInspector { get; init; } = RunFileDigest.Instance;

    /// <summary>A missing SQLite file is created (false for read-only commands such as <c>runs list</c>).</summary>
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>Stop migrating at this schema version (tests that build an older catalog); null = the latest.</summary>
    internal int? MigrateToVersion { get; init; }
}
