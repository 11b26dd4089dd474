namespace BeamDAQ.Control.Catalog;

/// <summary>Everything the catalog holds about one run.</summary>
public sealed record RunDetails(
    RunRecord Run,
    IReadOnlyList<FitRecord> Fits,
    IReadOnlyList<AlarmRecord> Alarms,
    IReadOnlyList<DeviceLossInterval> DeviceLosses,
    IReadOnlyList<LogbookEntry> Logbook,
    IReadOnlyList<SlowControlReading> SlowControl);
