using System.Diagnostics;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.Tests.Transport.Support;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport;

public sealed class RequestReplyTests : IDisposable
{
    private const string AnyPort = "tcp://127.0.0.1:*";
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(300);
    private readonly ZmqContext _context = new() { DefaultLinger = TimeSpan.Zero };

    public void Dispose() => _context.Dispose();

    [Fact]
    public void WhenARequestMapIsSentThenTheHandlersReplyMapComesBack()
    {
        using var server = new ReplyServer(_context, AnyPort, request => new Dictionary<string, object?>
        {
            ["v"] = 1L,
            ["ok"] = true,
            ["echo"] = request["cmd"],
            ["id"] = request["id"],
        });
        server.Start();
        using var client = new RequestClient(_context, server.Endpoint, Wait.Deadline);

        Assert.True(client.TryRequest(new Dictionary<string, object?> { ["v"] = 1L, ["cmd"] = "ping", ["id"] = 7L }, out var reply), client.LastFailure);
        Assert.True(client.TryRequest(new Dictionary<string, object?> { ["v"] = 1L, ["cmd"] = "status", ["id"] = 8L }, out var second), client.LastFailure);

        Assert.Equal(true, reply["ok"]);
        Assert.Equal("ping", reply["echo"]);
        Assert.Equal(7L, reply["id"]);
        Assert.Equal("status", second["echo"]);
        Assert.Equal(2, server.Handled);
        Assert.Equal(0, client.SocketsRecreated);
        Assert.Null(client.LastFailure);
    }

    [Fact]
    public void WhenTheHandlerThrowsThenTheClientGetsOkFalseWithTheErrorAndTheServerKeepsServing()
    {
        using var server = new ReplyServer(_context, AnyPort, request =>
            request["cmd"] as string == "start" ? throw new InvalidOperationException("not configured") : new Dictionary<string, object?> { ["ok"] = true });
        server.Start();
        using var client = new RequestClient(_context, server.Endpoint, Wait.Deadline);

        Assert.True(client.TryRequest(new Dictionary<string, object?> { ["cmd"] = "start" }, out var refused));
        Assert.True(client.TryRequest(new Dictionary<string, object?> { ["cmd"] = "ping" }, out var fine));

        Assert.Equal(false, refused["ok"]);
        Assert.Equal("InvalidOperationException: not configured", refused["error"]);
        Assert.Equal(1L, refused["v"]);
        Assert.Equal(true, fine["ok"]);
        Assert.Equal(1, server.Failed);
        Assert.Equal(1, server.Handled);
    }

    [Fact]
    public void WhenTheRequestIsNotAMapThenTheServerAnswersMalformedAndCountsIt()
    {
        using var server = new ReplyServer(_context, AnyPort, _ => new Dictionary<string, object?> { ["ok"] = true });
        server.Start();
        using var client = new RequestClient(_context, server.Endpoint, Wait.Deadline);

        Assert.True(client.TryRequest("not a map"u8, out byte[]? reply));

        var map = MessagePackValue.ReadMap(reply);
        Assert.Equal(false, map["ok"]);
        Assert.StartsWith("malformed request:", (string)map["error"]!);
        Assert.Equal(1, server.Malformed);
        Assert.Contains("offset", server.LastError);
    }

    [Fact]
    public void WhenAReplyIsLostThenTheClientRecreatesItsSocketAndResendsTheSameBytes()
    {
        // A ROUTER stands in for a server whose reply got lost: it ignores the first request and answers the retry.
        using var router = _context.CreateSocket(ZmqSocketType.Router);
        router.Bind(AnyPort);
        using var client = new RequestClient(_context, router.LastEndpoint, AttemptTimeout, retries: 2);
        var requests = new List<byte[]>();
        var server = new Thread(() =>
        {
            var frames = new List<byte[]>();
            for (int i = 0; i < 2; i++)
            {
                if (!router.TryReceiveMultipart(frames, Wait.Deadline)) return;
                requests.Add(frames[^1]); // [routing id, empty delimiter, request]
                if (i == 0) continue;
                router.Send(frames[0], more: true);
                router.Send([], more: true);
                router.Send("pong"u8);
            }
        });
        server.Start();

        Assert.True(client.TryRequest("{id: 1}"u8, out byte[]? reply), client.LastFailure);

        Assert.True(server.Join(Wait.Deadline));
        Assert.Equal("pong"u8.ToArray(), reply);
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0], requests[1]); // a retry carries the same request id
        Assert.Equal(1, client.SocketsRecreated);
    }

    [Fact]
    public void WhenNoServerAnswersThenTheRequestFailsAfterItsBoundedRetries()
    {
        using var silent = _context.CreateSocket(ZmqSocketType.Router); // accepts requests, never replies
        silent.Bind(AnyPort);
        using var client = new RequestClient(_context, silent.LastEndpoint, AttemptTimeout, retries: 2);
        var clock = Stopwatch.StartNew();

        bool answered = client.TryRequest(new Dictionary<string, object?> { ["cmd"] = "ping" }, out var reply);

        Assert.False(answered);
        Assert.Null(reply);
        Assert.InRange(clock.Elapsed, 3 * AttemptTimeout - TimeSpan.FromMilliseconds(50), Wait.Deadline);
        Assert.Contains("no reply", client.LastFailure);
        Assert.Contains("attempt 3 of 3", client.LastFailure);
        Assert.Equal(3, client.SocketsRecreated); // before each retry, and a fresh one left for the next request
        Assert.Equal(1, client.Failed);
    }

    [Fact]
    public void WhenTheServerComesUpLateThenAQueuedRequestIsStillAnswered()
    {
        string endpoint = Ports.FreeEndpoint();
        using var client = new RequestClient(_context, endpoint, Wait.Deadline);
        ReplyServer? server = null;
        var starter = new Thread(() =>
        {
            var clock = Stopwatch.StartNew();
            while (server is null && clock.Elapsed < Wait.Deadline)
            {
                try { server = new ReplyServer(_context, endpoint, _ => new Dictionary<string, object?> { ["ok"] = true }); }
                catch (ZmqException) { Thread.Yield(); }
            }
            server?.Start();
        });
        starter.Start();

        bool answered = client.TryRequest(new Dictionary<string, object?> { ["cmd"] = "ping" }, out var reply);

        Assert.True(starter.Join(Wait.Deadline));
        using (server)
        {
            Assert.True(answered, client.LastFailure);
            Assert.Equal(true, reply!["ok"]);
        }
    }
}
