namespace BeamDAQ.Control.Catalog;

/// <summary>
/// What run control knows when it starts a run; <see cref="IRunCatalog.AllocateRun"/> turns it into a numbered
/// 'running' row. JSON fields are stored as the exact text given (validated as JSON first).
/// </summary>
public sealed record RunStart
{
    public required string Operator { get; init; }
    public string Comment { get; init; } = "";
    /// <summary>Start time; null means the catalog clock's now.</summary>
    public DateTimeOffset? StartUtc { get; init; }
    /// <summary>The full configuration as JSON text.</summary>
    public string? ConfigurationJson { get; init; }
    /// <summary>The digitizer settings as actually applied, as JSON text.</summary>
    public string? AppliedSettingsJson { get; init; }
    /// <summary>The run file, when its name is known before the number is (usually it is recorded later).</summary>
    public string? FilePath { get; init; }
    public RunSettings? Settings { get; init; }
    /// <summary>The software that ran the run; defaults to this build.</summary>
    public string? SoftwareVersion { get; init; }
}
