namespace BeamDAQ.Control.RunControl.Daq;

/// <summary>How a command to the front end ended.</summary>
public enum DaqReplyKind
{
    /// <summary>The daq did it (<c>ok: true</c>).</summary>
    Ok,
    /// <summary>The daq answered and refused (<c>ok: false</c>, with its <c>error</c>).</summary>
    Refused,
    /// <summary>No reply within every attempt: the front end is down or unreachable.</summary>
    Unreachable,
    /// <summary>A reply that does not follow the protocol (not a map, no <c>ok</c>).</summary>
    Malformed,
}

/// <summary>
/// The front end's answer to one command, as a value: expected failures (a refusal, a dead front end) are data
/// the run controller acts on. <see cref="Map"/> holds the reply's keys (empty unless it decoded).
/// </summary>
public sealed record DaqReply(string Command, string RequestId, DaqReplyKind Kind, IReadOnlyDictionary<string, object?> Map, string? Problem)
{
    public bool IsOk => Kind == DaqReplyKind.Ok;

    /// <summary>The daq's state after the command (every reply carries it).</summary>
    public string? State => Map.GetValueOrDefault("state") as string;

    /// <summary>One line for logs and error causes.</summary>
    public string Describe() => Kind switch
    {
        DaqReplyKind.Ok => $"daq {Command}: ok (state {State ?? "?"})",
        DaqReplyKind.Refused => $"daq refused {Command}: {Problem}",
        DaqReplyKind.Unreachable => $"daq {Command} unanswered: {Problem}",
        _ => $"daq {Command}: malformed reply: {Problem}",
    };

    public override string ToString() => Describe();
}
