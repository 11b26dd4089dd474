using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.RunControl.State;

namespace BeamDAQ.Control.RunControl.Orchestration;

/// <summary>Why a command was not carried out: the caller's mistake, the wrong moment, or a fault.</summary>
public enum RefusalKind
{
    None,
    /// <summary>Bad input (an aperture out of range, an unknown key): exit code 2 for the command line.</summary>
    Usage,
    /// <summary>Not possible in the current state (start while running, reset while not in Error).</summary>
    State,
    /// <summary>Something failed (front end, facility, catalog): run control may now be in Error.</summary>
    Fault,
}

/// <summary>The result of a start: the run and its file, or why not.</summary>
public sealed record StartOutcome
{
    public required RunStateSnapshot State { get; init; }
    public long? Run { get; init; }
    public string? File { get; init; }
    public RunSettings? Settings { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public RefusalKind Refusal { get; init; }
    public string? Error { get; init; }

    public bool Started => Refusal == RefusalKind.None;
}

/// <summary>The result of a stop: the run as recorded, nothing when there was no run, or the fault.</summary>
public sealed record StopOutcome
{
    public required RunStateSnapshot State { get; init; }
    /// <summary>True when a run was actually stopped by this call.</summary>
    public bool Stopped { get; init; }
    public RunEndSummary? Run { get; init; }
    public string? Message { get; init; }
    public RefusalKind Refusal { get; init; }
    public string? Error { get; init; }
}

/// <summary>The result of a reset.</summary>
public sealed record ResetOutcome(RunStateSnapshot State, bool Reset, RefusalKind Refusal, string Message);

/// <summary>How a run ended, as recorded in the catalog.</summary>
public sealed record RunEndSummary
{
    public required long Run { get; init; }
    public required bool Aborted { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset StopUtc { get; init; }
    public long Events { get; init; }
    public long Missed { get; init; }
    public double? DeadTimeFraction { get; init; }
    public string? File { get; init; }
    public long? FileSizeBytes { get; init; }
    public string? FileSha256 { get; init; }
}

/// <summary>Run control as seen by <c>status</c>.</summary>
public sealed record ControlStatus
{
    public required RunStateSnapshot State { get; init; }
    public IReadOnlyList<StateTransition> History { get; init; } = [];
    public string? File { get; init; }
    public long? EventsLimit { get; init; }
    /// <summary>The latest heartbeat's content, when one arrived.</summary>
    public BeamDAQ.Protocol.Events.DaqStatusMessage? Daq { get; init; }
    public TimeSpan? HeartbeatAge { get; init; }
    public long HeartbeatsReceived { get; init; }
    public RunEndSummary? LastRun { get; init; }
    public string DaqEndpoint { get; init; } = "";
}
