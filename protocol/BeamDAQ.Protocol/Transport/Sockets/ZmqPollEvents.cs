namespace BeamDAQ.Protocol.Transport;

/// <summary>What a poll waits for on a socket.</summary>
[Flags]
public enum ZmqPollEvents : short
{
    None = 0,
    /// <summary>At least one message can be received without blocking.</summary>
    In = 1,
    /// <summary>At least one message can be sent without blocking.</summary>
    Out = 2,
}
