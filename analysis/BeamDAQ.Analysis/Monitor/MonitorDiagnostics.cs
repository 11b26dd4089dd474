using BeamDAQ.Analysis.Monitor.Web;

namespace BeamDAQ.Analysis.Monitor;

/// <summary>
/// The monitor's own accounting outside the live state: what the subscribers received and missed, what the
/// queue dropped, what the pipeline could not decode, how the fits go. Read without locks (atomic counters).
/// </summary>
public sealed record MonitorDiagnostics
{
    public static readonly MonitorDiagnostics Empty = new();

    public IReadOnlyList<ConnectionPart> Connections { get; init; } = [];
    public long MissedEvents { get; init; }
    public long DroppedEvents { get; init; }
    public int Queued { get; init; }
    public long Malformed { get; init; }
    public long PublisherRestarts { get; init; }
    public long Undecodable { get; init; }
    public long BadMessages { get; init; }
    public long TriggerGaps { get; init; }
    public long SinkFailures { get; init; }
    public long Fits { get; init; }
    public long FitFailures { get; init; }
    public long FitsPublished { get; init; }
    public double? LastFitMs { get; init; }
}
