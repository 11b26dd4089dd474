using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Control.RunControl.Server;

/// <summary>
/// The command-line side of <see cref="ControlProtocol"/>: one request to a running control node, with a time-out and
/// retries that carry the same id (the node answers a repeat from its cache).
/// </summary>
public sealed class ControlClient : IDisposable
{
    private readonly RequestClient _client;
    private readonly string? _token;

    public ControlClient(ZmqContext context, string endpoint, TimeSpan timeout, int retries, string? token)
    {
        _client = new RequestClient(context, endpoint, timeout, retries);
        _token = token;
    }

    public string Endpoint => _client.Endpoint;

    /// <summary>The reply map, or null with <paramref name="failure"/> saying why nothing usable came back.</summary>
    public Dictionary<string, object?>? Send(string command, IReadOnlyDictionary<string, object?>? keys, out string? failure)
    {
        var request = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["v"] = SchemaVersion.Current,
            ["cmd"] = command,
            ["id"] = Guid.NewGuid().ToString("N"),
        };
        if (keys is not null)
            foreach (var (key, value) in keys)
                if (value is not null) request[key] = value;
        if (_token is not null) request["token"] = _token;
        if (_client.TryRequest(request, out var reply))
        {
            failure = null;
            return reply;
        }
        failure = $"{_client.LastFailure}: is `beamdaq-control serve` running and listening on {Endpoint}?";
        return null;
    }

    public void Dispose() => _client.Dispose();
}
