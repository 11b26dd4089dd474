namespace BeamDAQ.Daq.RunControl;

/// <summary>
/// The front end's run state (docs/run-control.md): Idle → Configured → Running → Stopping → Configured, plus Error
/// (a device fault or a failed run, with its cause; left by <c>reset</c>). On the wire the name as written here.
/// </summary>
public enum RunControlState
{
    Idle,
    Configured,
    Running,
    Stopping,
    Error,
}
