namespace BeamDAQ.Daq.Acquisition;

/// <summary>How a run ended: what <c>run.end</c> says, plus what the command line and run control report.</summary>
public sealed record RunSummary
{
    public required uint Run { get; init; }
    public required string File { get; init; }
    public required string Reason { get; init; }
    /// <summary>Events in the run file: after a full disk, those acquired less <see cref="EventsLost"/>.</summary>
    public required ulong Events { get; init; }
    /// <summary>Events acquired that a full disk kept out of the file (0 otherwise).</summary>
    public ulong EventsLost { get; init; }
    public ulong EventsAcquired => Events + EventsLost;
    /// <summary>Triggers missed: inside device outages (see <see cref="Gaps"/>) and, with a trigger counter, between events.</summary>
    public required ulong Missed { get; init; }
    public required IReadOnlyList<DeviceGap> Gaps { get; init; }
    /// <summary>Publications lost during the run (queue drop policy and socket refusals); the file has them all.</summary>
    public required long Dropped { get; init; }
    public required long BytesWritten { get; init; }
    /// <summary>Time not armed over wall time, 0–1 (device outages included).</summary>
    public required double DeadTimeFraction { get; init; }
    public required DeadTimeSummary DeadTime { get; init; }
    public required DateTimeOffset Started { get; init; }
    public required DateTimeOffset Ended { get; init; }
    /// <summary>Wall-clock duration (the injected clock of a simulation may run faster).</summary>
    public required TimeSpan WallTime { get; init; }
    /// <summary>Records that a full disk kept out of the file (null when the disk never filled).</summary>
    public long? RecordsLost { get; init; }
    /// <summary>
    /// Bytes allocated on the acquisition thread per event once buffers reached their working size (after
    /// <see cref="AcquisitionRun.WarmUpEvents"/> events and two run-file buffers, 2 MB; null for shorter runs):
    /// 0 when the record-and-publish path allocates nothing.
    /// </summary>
    public double? AllocatedBytesPerEvent { get; init; }

    /// <summary>Ended by failure (disk full, device lost, settings changed, error), not by request or event limit.</summary>
    public bool IsFailure => RunEndReasons.IsFailure(Reason);
}
