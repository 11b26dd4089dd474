using BeamDAQ.Protocol.Tests.Transport.Support;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport;

public sealed class PollerTests : IDisposable
{
    private readonly ZmqContext _context = new() { DefaultLinger = TimeSpan.Zero };

    public void Dispose() => _context.Dispose();

    [Fact]
    public void WhenOnlyOneOfTwoSocketsHasAMessageThenOnlyThatOneIsReady()
    {
        using var quiet = _context.CreateSocket(ZmqSocketType.Pull);
        using var busy = _context.CreateSocket(ZmqSocketType.Pull);
        using var push = _context.CreateSocket(ZmqSocketType.Push);
        quiet.Bind("tcp://127.0.0.1:*");
        busy.Bind("tcp://127.0.0.1:*");
        push.Connect(busy.LastEndpoint);
        var poller = new ZmqPoller();
        int quietIndex = poller.Add(quiet, ZmqPollEvents.In);
        int busyIndex = poller.Add(busy, ZmqPollEvents.In);

        push.Send([7]);

        Assert.Equal(1, poller.Poll(Wait.Deadline));
        Assert.False(poller.IsReady(quietIndex));
        Assert.True(poller.IsReady(busyIndex));
        Assert.Equal(ZmqPollEvents.In, poller.ReadyEvents(busyIndex));
    }

    [Fact]
    public void WhenNothingIsReadyThenPollReturnsZeroAfterItsTimeout()
    {
        using var quiet = _context.CreateSocket(ZmqSocketType.Pull);
        quiet.Bind("tcp://127.0.0.1:*");
        var poller = new ZmqPoller();
        int index = poller.Add(quiet, ZmqPollEvents.In);

        Assert.Equal(0, poller.Poll(TimeSpan.FromMilliseconds(50)));
        Assert.False(poller.IsReady(index));
        Assert.False(poller.ContextTerminated);
    }

    [Fact]
    public void WhenAPushSocketHasAPeerThenItIsReadyToSend()
    {
        using var pull = _context.CreateSocket(ZmqSocketType.Pull);
        using var push = _context.CreateSocket(ZmqSocketType.Push);
        pull.Bind("tcp://127.0.0.1:*");
        push.Connect(pull.LastEndpoint);

        Assert.True(push.Poll(ZmqPollEvents.Out, Wait.Deadline));
    }
}
