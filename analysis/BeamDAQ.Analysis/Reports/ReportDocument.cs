using BeamDAQ.Analysis.Monitor.Web;

namespace BeamDAQ.Analysis.Reports;

// The data an offline report inlines (window.BEAMDAQ_REPORT): per run file, the same parts the live monitor draws
// (spectra, fits, trend, noise, alarms) plus what only a finished file can say (gaps, end state, metadata).

public sealed record ReportDocument(string Title, string Software, double GeneratedMs, IReadOnlyList<ReportFile> Files);

public sealed record ReportFile
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public ulong? Run { get; init; }
    public long Bytes { get; init; }
    public string? Failure { get; init; }
    public long Events { get; init; }
    public long Missed { get; init; }
    public long TriggerGaps { get; init; }
    /// <summary>Where the trigger sequence jumps: the last trigger before each gap and the first after it.</summary>
    public IReadOnlyList<TriggerGap> Gaps { get; init; } = [];
    public long Undecodable { get; init; }
    public string End { get; init; } = "";
    public IReadOnlyList<MetadataEntry> Metadata { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];
    public IReadOnlyList<SpectrumPart> Spectra { get; init; } = [];
    public IReadOnlyList<FitPart> Fits { get; init; } = [];
    public TrendPart Trend { get; init; } = new() { BunchesPerPoint = 0, Collected = 0, DroppedBlocks = 0, Points = [] };
    public IReadOnlyList<NoisePart> Noise { get; init; } = [];
    public IReadOnlyList<AlarmPart> Alarms { get; init; } = [];
    public IReadOnlyList<ReportReading> SlowControl { get; init; } = [];
}

public sealed record TriggerGap(ulong After, ulong Before);

public sealed record MetadataEntry(string Key, object? Value);

public sealed record ReportReading(string Device, string Quantity, double Value, string Unit, long Readings);
