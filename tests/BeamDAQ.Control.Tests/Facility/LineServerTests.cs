using System.Net;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Server;
using BeamDAQ.Control.Tests.Facility.Support;
using Serilog.Core;

namespace BeamDAQ.Control.Tests.Facility;

public class LineServerTests
{
    private sealed class Echo : ILineProtocol
    {
        public string? Handle(string line) => line.EndsWith('?') ? "echo " + line : null;
    }

    [Fact]
    public async Task WhenSeveralClientsConnectThenEachGetsItsOwnReplies()
    {
        await using var server = new LineServer("echo", new Echo(), IPAddress.Loopback, 0, Logger.None);
        server.Start();
        var endpoint = new DeviceEndpoint("127.0.0.1", server.LocalEndPoint.Port);
        await using var a = await RawConnection.OpenAsync(endpoint);
        await using var b = await RawConnection.OpenAsync(endpoint);
        await a.SendAsync("set");
        Assert.Equal("echo b?", await b.QueryAsync("b?"));
        Assert.Equal("echo a?", await a.QueryAsync("a?"));
        Assert.Equal(3, server.CommandsHandled);
    }

    [Fact]
    public async Task WhenALineExceedsTheLimitThenTheConnectionIsClosedAndCounted()
    {
        await using var server = new LineServer("echo", new Echo(), IPAddress.Loopback, 0, Logger.None);
        server.Start();
        await using var client = await RawConnection.OpenAsync(new DeviceEndpoint("127.0.0.1", server.LocalEndPoint.Port));
        await client.SendAsync(new string('x', LineServer.MaxLineLength + 10));
        Assert.True(await client.ClosedByPeerAsync());
        Assert.Equal(1, server.LinesTooLong);
    }

    [Fact]
    public async Task WhenUnresponsiveThenCommandsAreReadButNotAnswered()
    {
        await using var server = new LineServer("echo", new Echo(), IPAddress.Loopback, 0, Logger.None);
        server.Start();
        await using var client = await RawConnection.OpenAsync(new DeviceEndpoint("127.0.0.1", server.LocalEndPoint.Port));
        server.Unresponsive = true;
        await client.SendAsync("first?");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (server.CommandsHandled < 1 && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        server.Unresponsive = false;
        // The unanswered query left nothing behind: the next reply is the second query's.
        Assert.Equal("echo second?", await client.QueryAsync("second?"));
        Assert.Equal(2, server.CommandsHandled);
    }
}
