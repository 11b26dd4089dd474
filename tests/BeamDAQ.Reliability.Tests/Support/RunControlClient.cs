using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Reliability.Tests.Support;

/// <summary>A run-control client on 127.0.0.1 for the tests: one MessagePack map out, one back (docs/run-control.md).</summary>
public sealed class RunControlClient : IDisposable
{
    private readonly ZmqContext _context = new();
    private readonly RequestClient _client;
    private int _id;

    public RunControlClient(string endpoint, TimeSpan? timeout = null) =>
        _client = new RequestClient(_context, endpoint, timeout ?? TimeSpan.FromSeconds(10), retries: 1);

    /// <summary>Sends <c>{v: 1, cmd, id, ...keys}</c> and returns the reply map.</summary>
    public Dictionary<string, object?> Send(string command, Dictionary<string, object?>? keys = null)
    {
        var request = new Dictionary<string, object?> { ["v"] = 1L, ["cmd"] = command, ["id"] = $"test-{Interlocked.Increment(ref _id)}-{Guid.NewGuid():N}" };
        if (keys is not null)
            foreach (var (key, value) in keys) request[key] = value;
        var writer = new MessagePackWriter();
        MessagePackValue.Write(writer, request);
        if (!_client.TryRequest(writer.WrittenSpan, out var reply))
            throw new TimeoutException($"no reply to '{command}' from {_client.Endpoint}: {_client.LastFailure}");
        return MessagePackValue.ReadMap(reply);
    }

    public static bool Ok(Dictionary<string, object?> reply) => reply.GetValueOrDefault("ok") is true;

    public static string Error(Dictionary<string, object?> reply) => reply.GetValueOrDefault("error") as string ?? "";

    public void Dispose()
    {
        _client.Dispose();
        _context.Dispose();
    }
}
