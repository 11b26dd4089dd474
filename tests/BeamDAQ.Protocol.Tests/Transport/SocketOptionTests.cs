using System.Diagnostics;
using BeamDAQ.Protocol.Tests.Transport.Support;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport;

public sealed class SocketOptionTests : IDisposable
{
    private readonly ZmqContext _context = new() { DefaultLinger = TimeSpan.Zero };

    public void Dispose() => _context.Dispose();

    [Fact]
    public void WhenOptionsAreSetThenLibzmqReportsTheSameValues()
    {
        using var socket = _context.CreateSocket(ZmqSocketType.Dealer);

        socket.SendHighWaterMark = 12345;
        socket.ReceiveHighWaterMark = 0;
        socket.Linger = TimeSpan.FromMilliseconds(250);
        socket.ReceiveTimeout = TimeSpan.FromMilliseconds(1500);
        socket.SendTimeout = Timeout.InfiniteTimeSpan;
        socket.Immediate = true;
        socket.ReconnectInterval = TimeSpan.FromMilliseconds(40);

        Assert.Equal(12345, socket.SendHighWaterMark);
        Assert.Equal(0, socket.ReceiveHighWaterMark);
        Assert.Equal(TimeSpan.FromMilliseconds(250), socket.Linger);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), socket.ReceiveTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, socket.SendTimeout);
        Assert.True(socket.Immediate);
        Assert.Equal(TimeSpan.FromMilliseconds(40), socket.ReconnectInterval);
        Assert.Equal(ZmqSocketType.Dealer, socket.SocketType);
    }

    [Fact]
    public void WhenCreatedThenSocketsGetTheContextsBoundedDefaultLinger()
    {
        using var context = new ZmqContext { DefaultLinger = TimeSpan.FromMilliseconds(75) };
        using var socket = context.CreateSocket(ZmqSocketType.Push);
        Assert.Equal(TimeSpan.FromMilliseconds(75), socket.Linger);
    }

    [Fact]
    public void WhenAnOptionValueIsOutOfRangeThenArgumentExceptionNamesIt()
    {
        using var socket = _context.CreateSocket(ZmqSocketType.Pub);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => socket.ReceiveTimeout = TimeSpan.FromMilliseconds(-5));
        Assert.Equal("ReceiveTimeout", e.ParamName);
        Assert.Equal("SendHighWaterMark", Assert.Throws<ArgumentOutOfRangeException>(() => socket.SendHighWaterMark = -1).ParamName);
    }

    [Fact]
    public void WhenBoundToAWildcardPortThenLastEndpointNamesTheChosenPort()
    {
        using var socket = _context.CreateSocket(ZmqSocketType.Pub);
        socket.Bind("tcp://127.0.0.1:*");

        var uri = new Uri(socket.LastEndpoint);
        Assert.Equal("tcp", uri.Scheme);
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.InRange(uri.Port, 1, 65535);
    }

    [Fact]
    public void WhenNothingArrivesThenTimedReceivesReturnFalseWithinBoundedTime()
    {
        using var sub = _context.CreateSocket(ZmqSocketType.Sub);
        sub.Subscribe("");
        sub.Connect("tcp://127.0.0.1:9"); // discard port: nothing will ever publish there
        using var message = new ZmqMessage();
        var frames = new List<byte[]> { new byte[1] };
        var clock = Stopwatch.StartNew();

        Assert.False(sub.TryReceiveMultipart(frames, TimeSpan.FromMilliseconds(100)));
        Assert.Empty(frames);
        Assert.False(sub.TryReceive(message, TimeSpan.FromMilliseconds(100)));
        Assert.False(sub.TryReceive(message, dontWait: true));
        sub.ReceiveTimeout = TimeSpan.FromMilliseconds(100);
        Assert.False(sub.TryReceive(message)); // blocking receive bounded by ZMQ_RCVTIMEO
        Assert.False(sub.Poll(ZmqPollEvents.In, TimeSpan.FromMilliseconds(100)));

        Assert.True(clock.Elapsed < Wait.Deadline, $"four 100 ms waits took {clock.Elapsed}");
        Assert.False(sub.ContextTerminated);
    }

    [Fact]
    public void WhenImmediateIsSetThenASendWithNoCompletedConnectionTimesOutInsteadOfQueueing()
    {
        using var queueing = _context.CreateSocket(ZmqSocketType.Push);
        queueing.Connect("tcp://127.0.0.1:9");
        Assert.True(queueing.TrySend([1], more: false, dontWait: true)); // queued for a connection that may come

        using var immediate = _context.CreateSocket(ZmqSocketType.Push);
        immediate.Immediate = true;
        immediate.SendTimeout = TimeSpan.FromMilliseconds(100);
        immediate.Connect("tcp://127.0.0.1:9");
        Assert.False(immediate.TrySend([1], more: false, dontWait: false));
        var e = Assert.Throws<TimeoutException>(() => immediate.Send([1]));
        Assert.Contains("send time-out", e.Message);
    }
}
