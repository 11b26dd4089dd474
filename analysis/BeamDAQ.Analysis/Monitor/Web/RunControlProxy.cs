using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Analysis.Monitor.Web;

/// <summary>
/// The page's Start and Stop buttons: offered only when the monitor has a token, and each press must present
/// that token. The command goes to the control node's endpoint (REQ/REP, <c>{v, cmd, id, token, ...}</c>, see
/// docs/run-control.md), which owns the run state machine; the monitor itself never commands the daq.
/// </summary>
public sealed class RunControlProxy(ZmqContext context, string endpoint, string token, TimeSpan timeout)
{
    public const string DefaultEndpoint = "tcp://127.0.0.1:5559";

    /// <summary>The commands the page may send, and the keys each may carry.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Commands = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["start"] = ["comment", "operator"],
        ["stop"] = ["reason"],
    };

    private readonly Lock _gate = new();

    public string Endpoint { get; } = endpoint;

    /// <summary>Sends <paramref name="command"/>; the reply map, or null with the reason nothing came back.</summary>
    public Dictionary<string, object?>? Send(string command, IReadOnlyDictionary<string, string?> keys, out string? failure)
    {
        var request = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["v"] = (long)SchemaVersion.Current,
            ["cmd"] = command,
            ["id"] = Guid.NewGuid().ToString("N"),
            ["token"] = token,
        };
        foreach (var (key, value) in keys)
            if (!string.IsNullOrWhiteSpace(value)) request[key] = value;
        // One request at a time: a REQ socket is strictly send-then-receive.
        lock (_gate)
        {
            using var client = new RequestClient(context, Endpoint, timeout, retries: 1);
            if (client.TryRequest(request, out var reply))
            {
                failure = null;
                return reply;
            }
            failure = $"{client.LastFailure}: is 'beamdaq-control serve' running and listening on {Endpoint}?";
            return null;
        }
    }
}
