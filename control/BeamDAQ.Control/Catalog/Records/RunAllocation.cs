namespace BeamDAQ.Control.Catalog;

/// <summary>
/// A newly allocated run number, and the runs that the allocation found left 'running' by a control process that
/// no longer exists and marked aborted.
/// </summary>
public sealed record RunAllocation(long Run, DateTimeOffset StartUtc, IReadOnlyList<RecoveredRun> Recovered);

/// <summary>A run marked aborted by crash recovery, with what its file still held.</summary>
public sealed record RecoveredRun(long Run, string Reason, RecoveredRunFile? File);

/// <summary>The catalog's run numbers: lowest, highest and how many (numbers are never reused).</summary>
public sealed record RunRange(long First, long Last, long Count)
{
    public override string ToString() => Count == 0 ? "none" : First == Last ? $"{First}" : $"{First}–{Last}";
}
