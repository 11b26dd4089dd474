namespace BeamDAQ.Control.Catalog;

/// <summary>An alarm as raised (source device or process, severity, a stable code and the human message).</summary>
public sealed record AlarmRecord(long? Run, DateTimeOffset TimeUtc, string Source, string Severity, string Code, string Message)
{
    /// <summary>The catalog's row id; 0 before it is stored.</summary>
    public long Id { get; init; }
}
