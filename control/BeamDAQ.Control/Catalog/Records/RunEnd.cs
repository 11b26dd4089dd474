namespace BeamDAQ.Control.Catalog;

/// <summary>The end of a run as run control saw it; recorded once (<see cref="IRunCatalog.EndRun"/>).</summary>
public sealed record RunEnd
{
    /// <summary>Stop time; null means the catalog clock's now.</summary>
    public DateTimeOffset? StopUtc { get; init; }
    /// <summary>Why the run ended ("operator", "events reached", "device lost", ...).</summary>
    public required string Reason { get; init; }
    public required long Events { get; init; }
    public required long MissedTriggers { get; init; }
    /// <summary>Fraction of the run's live time during which triggers could not be taken, 0..1.</summary>
    public double? DeadTimeFraction { get; init; }
    /// <summary>The run file as closed; null keeps what was recorded before.</summary>
    public string? FilePath { get; init; }
    public long? FileSizeBytes { get; init; }
    /// <summary>SHA-256 of the closed file, 64 lower-case hex digits (<see cref="RunFileDigest"/>).</summary>
    public string? FileSha256 { get; init; }
    /// <summary>Aborted instead of ended: the run stopped on a fault rather than by run control's stop.</summary>
    public bool Aborted { get; init; }
}
