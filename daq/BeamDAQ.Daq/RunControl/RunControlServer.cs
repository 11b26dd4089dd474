using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.Transport;
using Serilog;

namespace BeamDAQ.Daq.RunControl;

/// <summary>
/// The REP endpoint of <c>beamdaq-daq serve</c>: binds the run-control address (127.0.0.1 unless configured otherwise;
/// any other interface only with a token) and answers requests through <see cref="RunControlHandler"/> on its own thread.
/// </summary>
public sealed class RunControlServer : IDisposable
{
    private readonly ReplyServer _server;

    /// <exception cref="ArgumentException">A non-loopback address without a token.</exception>
    public RunControlServer(ZmqContext context, string address, RunControlService service, string? token, ILogger log)
    {
        if (!EndpointSecurity.IsLoopback(address) && string.IsNullOrEmpty(token))
            throw new ArgumentException($"run control on '{address}' is reachable from other machines and needs a token (--token-file F or run_control.token); bind tcp://127.0.0.1:PORT otherwise", nameof(token));
        Handler = new RunControlHandler(service, string.IsNullOrEmpty(token) ? null : token, log);
        _server = new ReplyServer(context, address, Handler.Handle);
        _server.Start();
        log.Information("run control on {Endpoint}{Token}", _server.Endpoint, token is null ? "" : " (a token is required in every request)");
    }

    public string Endpoint => _server.Endpoint;

    public RunControlHandler Handler { get; }

    /// <summary>Requests that did not decode or whose handling threw (each answered with ok: false).</summary>
    public long Malformed => _server.Malformed + _server.Failed;

    public void Dispose() => _server.Dispose();
}
