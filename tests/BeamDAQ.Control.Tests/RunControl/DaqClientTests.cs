using System.Diagnostics;
using BeamDAQ.Control.RunControl.Daq;
using BeamDAQ.Control.Tests.RunControl.Support;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Control.Tests.RunControl;

public sealed class DaqClientTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beamdaq-daqclient-").FullName;
    private readonly ZmqContext _context = new() { DefaultLinger = TimeSpan.Zero };

    private DaqClient Client(string endpoint, int retries = 2, string? token = null) => new(_context, new DaqClientOptions
    {
        Endpoint = endpoint,
        QueryTimeout = TimeSpan.FromMilliseconds(300),
        CommandTimeout = TimeSpan.FromMilliseconds(300),
        Retries = retries,
        Token = token,
    });

    [Fact]
    public void WhenAReplyIsLostThenTheRetryCarriesTheSameIdAndTheDaqCarriesTheCommandOutOnce()
    {
        using var daq = new FakeDaq(_directory) { LoseReplyOf = "configure" };
        using var client = Client(daq.ControlEndpoint);

        var reply = client.Configure(new Dictionary<string, object?> { ["simulator"] = new Dictionary<string, object?> { ["seed"] = 3L } });

        Assert.True(reply.IsOk, reply.Describe());
        var configures = daq.Received.Where(r => r.Command == "configure").ToList();
        Assert.Equal(2, configures.Count);
        Assert.Equal(configures[0].Id, configures[1].Id);
        Assert.Equal(reply.RequestId, configures[0].Id);
        Assert.Equal(1, daq.Executed("configure"));
        Assert.True(client.SocketsRecreated >= 1);
        Assert.Equal("Configured", reply.State);
    }

    [Fact]
    public void WhenAStartReplyIsLostThenTheRunIsStartedOnceAndItsFileIsNamedInTheRetriedReply()
    {
        using var daq = new FakeDaq(_directory);
        using var client = Client(daq.ControlEndpoint);
        Assert.True(client.Configure(null).IsOk);
        daq.LoseReplyOf = "start";

        var reply = client.Start(5, new Dictionary<string, object?> { ["operator"] = "ana" }, eventsLimit: 300);

        Assert.True(reply.IsOk, reply.Describe());
        Assert.Equal(1, daq.Executed("start"));
        Assert.Equal(daq.FilePath, reply.Map["file"]);
        Assert.Equal("ana", daq.LastMeta!["operator"]);
        Assert.Equal(300, daq.LastEventsLimit);
    }

    [Fact]
    public void WhenTheDaqNeverAnswersThenTheCommandIsUnreachableAfterItsBoundedAttemptsAndSaysWhere()
    {
        using var daq = new FakeDaq(_directory) { Silent = true };
        using var client = Client(daq.ControlEndpoint, retries: 1);
        var clock = Stopwatch.StartNew();

        var reply = client.Stop("operator");

        Assert.Equal(DaqReplyKind.Unreachable, reply.Kind);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(550), TimeSpan.FromSeconds(10));
        Assert.Contains(daq.ControlEndpoint, reply.Problem);
        Assert.Contains("attempt 2 of 2", reply.Problem);
        Assert.Contains("daq stop unanswered", reply.Describe());
        Assert.Equal(2, daq.Received.Count);
        Assert.Equal(0, daq.Executed("stop"));
    }

    [Fact]
    public void WhenTheDaqRefusesThenTheReplyIsRefusedWithTheDaqsOwnError()
    {
        using var daq = new FakeDaq(_directory) { RefuseConfigure = "digitizer.record_length = 200000: allowed 1 to 131072 [HS4 limit]" };
        using var client = Client(daq.ControlEndpoint);

        var reply = client.Configure(null);

        Assert.Equal(DaqReplyKind.Refused, reply.Kind);
        Assert.Equal("digitizer.record_length = 200000: allowed 1 to 131072 [HS4 limit]", reply.Problem);
        Assert.Equal("daq refused configure: digitizer.record_length = 200000: allowed 1 to 131072 [HS4 limit]", reply.Describe());
    }

    [Fact]
    public void WhenEveryRequestIsSentThenEachCarriesTheVersionTheCommandAFreshIdAndTheToken()
    {
        using var router = _context.CreateSocket(ZmqSocketType.Router);
        router.Bind("tcp://127.0.0.1:*");
        using var client = Client(router.LastEndpoint, retries: 0, token: "s3cret-token");
        var requests = new List<Dictionary<string, object?>>();
        var server = new Thread(() =>
        {
            var frames = new List<byte[]>();
            for (int i = 0; i < 2 && router.TryReceiveMultipart(frames, TimeSpan.FromSeconds(10)); i++)
            {
                requests.Add(MessagePackValue.ReadMap(frames[^1]));
                router.Send(frames[0], more: true);
                router.Send([], more: true);
                var writer = new MessagePackWriter();
                MessagePackValue.Write(writer, new Dictionary<string, object?> { ["v"] = 1L, ["ok"] = true, ["state"] = "Idle" });
                router.Send(writer.WrittenSpan);
            }
        });
        server.Start();

        Assert.True(client.Ping().IsOk);
        Assert.True(client.Status().IsOk);

        Assert.True(server.Join(TimeSpan.FromSeconds(10)));
        Assert.All(requests, r =>
        {
            Assert.Equal(1L, r["v"]);
            Assert.Equal("s3cret-token", r["token"]);
            Assert.IsType<string>(r["id"]);
        });
        Assert.Equal(["ping", "status"], requests.Select(r => (string)r["cmd"]!));
        Assert.NotEqual(requests[0]["id"], requests[1]["id"]);
    }

    [Theory]
    [InlineData("not a map")]
    [InlineData("map without ok")]
    public void WhenTheReplyDoesNotFollowTheProtocolThenItIsMalformedNotACrash(string kind)
    {
        using var router = _context.CreateSocket(ZmqSocketType.Router);
        router.Bind("tcp://127.0.0.1:*");
        using var client = Client(router.LastEndpoint, retries: 0);
        var server = new Thread(() =>
        {
            var frames = new List<byte[]>();
            if (!router.TryReceiveMultipart(frames, TimeSpan.FromSeconds(10))) return;
            router.Send(frames[0], more: true);
            router.Send([], more: true);
            var writer = new MessagePackWriter();
            if (kind == "not a map") writer.WriteString("hello");
            else MessagePackValue.Write(writer, new Dictionary<string, object?> { ["state"] = "Idle" });
            router.Send(writer.WrittenSpan);
        });
        server.Start();

        var reply = client.Ping();

        Assert.True(server.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal(DaqReplyKind.Malformed, reply.Kind);
        Assert.Contains(kind == "not a map" ? "not a MessagePack map" : "no boolean 'ok'", reply.Problem);
    }

    public void Dispose()
    {
        _context.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
