namespace BeamDAQ.Control.Catalog;

/// <summary>
/// A stretch of a run during which a device (typically the digitizer dropping off the USB bus) was gone.
/// <see cref="EndUtc"/> is null when it never came back before the run ended.
/// </summary>
public sealed record DeviceLossInterval(long Run, string Device, DateTimeOffset StartUtc, DateTimeOffset? EndUtc, long? TriggersMissed)
{
    /// <summary>The catalog's row id; 0 before it is stored.</summary>
    public long Id { get; init; }

    public TimeSpan? Duration => EndUtc - StartUtc;
}
