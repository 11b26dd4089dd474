namespace BeamDAQ.Control.Catalog;

/// <summary>One run's row in the catalog: everything recorded about it except the series attached to it.</summary>
public sealed record RunRecord
{
    public required long Run { get; init; }
    public required RunState State { get; init; }
    public required string Operator { get; init; }
    public required string Comment { get; init; }
    public required DateTimeOffset StartUtc { get; init; }
    public DateTimeOffset? StopUtc { get; init; }
    public string? EndReason { get; init; }
    public long? Events { get; init; }
    public long? MissedTriggers { get; init; }
    public double? DeadTimeFraction { get; init; }
    /// <summary>When the counters were last recorded (progress or end).</summary>
    public DateTimeOffset? ProgressUtc { get; init; }
    public string? FilePath { get; init; }
    public long? FileSizeBytes { get; init; }
    public string? FileSha256 { get; init; }
    public string? ConfigurationJson { get; init; }
    public string? AppliedSettingsJson { get; init; }
    public required string SoftwareVersion { get; init; }
    public required RunSettings Settings { get; init; }
    /// <summary>The control process that allocated the run (used to tell a crashed run from a live one).</summary>
    public required RunOwner Owner { get; init; }

    public TimeSpan? Duration => StopUtc - StartUtc;
}
