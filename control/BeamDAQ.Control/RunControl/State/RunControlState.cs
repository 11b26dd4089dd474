namespace BeamDAQ.Control.RunControl.State;

/// <summary>
/// The control node's run states (DESIGN §7, docs/run-control.md): Idle → Configured → Running → Stopping →
/// Configured, plus Error, which carries its cause and is left by recovery or by the operator's reset.
/// </summary>
public enum RunControlState
{
    /// <summary>Nothing configured; the front end may be absent.</summary>
    Idle,
    /// <summary>The front end has validated and applied its configuration and can start a run.</summary>
    Configured,
    /// <summary>A run is being recorded.</summary>
    Running,
    /// <summary>The front end was told to stop and the run's end is being recorded.</summary>
    Stopping,
    /// <summary>A fault (a lost front end, a refused stop, ...) stopped run control; see the cause.</summary>
    Error,
}
