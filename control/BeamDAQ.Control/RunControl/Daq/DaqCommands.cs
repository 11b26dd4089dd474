namespace BeamDAQ.Control.RunControl.Daq;

/// <summary>The command names and request keys of docs/run-control.md.</summary>
public static class DaqCommands
{
    public const string Ping = "ping";
    public const string Status = "status";
    public const string Configure = "configure";
    public const string Start = "start";
    public const string Stop = "stop";
    public const string Reset = "reset";
}
