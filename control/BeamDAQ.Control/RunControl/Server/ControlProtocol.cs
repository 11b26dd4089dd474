namespace BeamDAQ.Control.RunControl.Server;

/// <summary>
/// The control node's own REP endpoint (default <c>tcp://127.0.0.1:5559</c>), which the <c>start</c>, <c>stop</c>,
/// <c>status</c> and <c>reset</c> commands talk to. Same conventions as the daq's run control (docs/run-control.md): a
/// request is one MessagePack map <c>{v, cmd, id, [token], ...}</c>, the reply <c>{v, ok, state, ...}</c>; a repeated
/// <c>id</c> gets the reply already given; a refusal has <c>ok: false</c>, <c>error</c> and <c>error_kind</c>
/// (<c>usage</c>, <c>state</c> or <c>fault</c>).
/// </summary>
public static class ControlProtocol
{
    public const string DefaultListenAddress = "tcp://127.0.0.1:5559";

    public const string Ping = "ping";
    public const string Status = "status";
    public const string Start = "start";
    public const string Stop = "stop";
    public const string Reset = "reset";

    public static readonly IReadOnlyList<string> Commands = [Ping, Status, Start, Stop, Reset];

    /// <summary>Keys every request may carry.</summary>
    public static readonly IReadOnlyList<string> EnvelopeKeys = ["v", "cmd", "id", "token"];

    /// <summary>The further keys each command accepts; anything else is refused (a typo must not be ignored).</summary>
    public static IReadOnlyList<string> KeysOf(string command) => command switch
    {
        Start => ["operator", "comment", "exit_aperture_x_mm", "exit_aperture_y_mm", "events"],
        Stop => ["reason"],
        _ => [],
    };

    public const string UsageError = "usage";
    public const string StateError = "state";
    public const string FaultError = "fault";
}
