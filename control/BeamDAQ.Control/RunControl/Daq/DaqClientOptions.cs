namespace BeamDAQ.Control.RunControl.Daq;

/// <summary>How the control node talks to the front end's run-control endpoint.</summary>
public sealed record DaqClientOptions
{
    /// <summary>The daq's REP endpoint (docs/run-control.md).</summary>
    public string Endpoint { get; init; } = "tcp://127.0.0.1:5556";

    /// <summary>Per attempt of a query (ping, status), which the daq answers at once.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Per attempt of configure/start/stop/reset, which open devices and files.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Further attempts after a lost reply, each on a fresh socket with the same request id.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>The daq's shared secret when it is bound beyond 127.0.0.1; sent in every request, never logged.</summary>
    public string? Token { get; init; }
}
