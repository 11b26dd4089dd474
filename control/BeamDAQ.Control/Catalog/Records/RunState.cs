namespace BeamDAQ.Control.Catalog;

/// <summary>Where a run is in its life, as the catalog records it.</summary>
public enum RunState
{
    /// <summary>Allocated and taking data (or its control process died before it could say otherwise).</summary>
    Running,
    /// <summary>Stopped through run control; the end was recorded by the process that ran it.</summary>
    Ended,
    /// <summary>Ended without a clean stop: found 'running' after a crash, or aborted on request.</summary>
    Aborted,
}

/// <summary>The state's text in the catalog's <c>runs.state</c> column.</summary>
internal static class RunStateText
{
    public const string Running = "running";
    public const string Ended = "ended";
    public const string Aborted = "aborted";

    public static string ToText(RunState state) => state switch
    {
        RunState.Running => Running,
        RunState.Ended => Ended,
        RunState.Aborted => Aborted,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a run state"),
    };

    public static RunState Parse(string text, long run) => text switch
    {
        Running => RunState.Running,
        Ended => RunState.Ended,
        Aborted => RunState.Aborted,
        _ => throw new CatalogException(
            $"run {run} has state '{text}' in the catalog; known states are '{Running}', '{Ended}', '{Aborted}'"),
    };
}
