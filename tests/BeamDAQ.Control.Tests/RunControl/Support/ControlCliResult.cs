namespace BeamDAQ.Control.Tests.RunControl.Support;

/// <summary>What a beamdaq-control command did, in process or as the real program: its exit code and both outputs.</summary>
public sealed record ControlCliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}; stdout: {Out}; stderr: {Error}";
}
