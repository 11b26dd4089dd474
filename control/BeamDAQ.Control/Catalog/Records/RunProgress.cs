namespace BeamDAQ.Control.Catalog;

/// <summary>
/// Counters of a running run, recorded periodically so that a run cut short by a crash still shows how far it got.
/// </summary>
public sealed record RunProgress(long Events, long MissedTriggers, double? DeadTimeFraction = null, DateTimeOffset? TimeUtc = null);
