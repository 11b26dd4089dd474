namespace BeamDAQ.Control.Catalog;

/// <summary>
/// Looks at a run file left behind by a crashed run, so that crash recovery records what the file still holds.
/// </summary>
public interface IRunFileInspector
{
    RecoveredRunFile Inspect(string path);
}

/// <summary>What a run file held when it was inspected. <see cref="Events"/> is null when it was not counted.</summary>
public sealed record RecoveredRunFile(
    string Path,
    bool Exists,
    long? SizeBytes,
    string? Sha256,
    DateTimeOffset? LastWriteUtc,
    long? Events,
    string Description);
