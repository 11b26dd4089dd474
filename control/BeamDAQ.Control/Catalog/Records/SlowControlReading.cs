namespace BeamDAQ.Control.Catalog;

/// <summary>
/// One slow-control value (a temperature, the magnet current, a jaw position...). <see cref="Run"/> is null for
/// readings taken between runs.
/// </summary>
public sealed record SlowControlReading(long? Run, DateTimeOffset TimeUtc, string Device, string Quantity, double Value, string Unit)
{
    /// <summary>The catalog's row id; 0 before it is stored.</summary>
    public long Id { get; init; }
}
