namespace BeamDAQ.Protocol.Hosting;

/// <summary>The exit codes every BeamDAQ program uses (DESIGN §9).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>A failure while running: a device, a socket, a disk.</summary>
    public const int RuntimeFailure = 1;
    /// <summary>Bad usage or a configuration that does not validate: nothing was started.</summary>
    public const int BadUsage = 2;
}
