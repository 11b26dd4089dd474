using System.Diagnostics;
using BeamDAQ.Protocol.Tests.Transport.Support;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport;

/// <summary>Zero-copy sends: libzmq reads the buffer in place and the buffer lives until libzmq lets go.</summary>
public sealed class ZmqSharedBufferTests : IDisposable
{
    private readonly ZmqContext _context = new() { DefaultLinger = TimeSpan.Zero };
    private readonly List<byte[]> _frames = [];

    public void Dispose() => _context.Dispose();

    [Fact]
    public void WhenASharedBufferIsSentRepeatedlyThenEveryCopyArrivesIntactAndLibzmqReleasesThemAll()
    {
        using var pull = _context.CreateSocket(ZmqSocketType.Pull);
        using var push = _context.CreateSocket(ZmqSocketType.Push);
        pull.Bind("tcp://127.0.0.1:*");
        push.Connect(pull.LastEndpoint);
        var content = new byte[80 * 1024];
        new Random(11).NextBytes(content);
        using var buffer = new ZmqSharedBuffer(content);

        for (int i = 0; i < 50; i++) Assert.True(push.TrySendMultipart("evt"u8, buffer, dontWait: false));
        for (int i = 0; i < 50; i++)
        {
            Assert.True(pull.TryReceiveMultipart(_frames, Wait.Deadline));
            Assert.Equal(content, _frames[1]);
        }

        WaitUntil(() => buffer.InFlight == 0, "libzmq to release the sent messages");
        buffer.GetWritableSpan()[0] ^= 0xFF; // and now it may be refilled
    }

    [Fact]
    public void WhenASharedBufferIsInFlightThenItCannotBeRefilledUntilTheMessageIsGone()
    {
        var context = new ZmqContext { DefaultLinger = TimeSpan.Zero };
        var push = context.CreateSocket(ZmqSocketType.Push);
        push.Connect("tcp://127.0.0.1:9"); // nobody listens: the message stays queued
        using var buffer = new ZmqSharedBuffer(1000);

        Assert.True(push.TrySend(buffer, more: false, dontWait: true));
        Assert.Equal(1, buffer.InFlight);
        var e = Assert.Throws<InvalidOperationException>(() => buffer.GetWritableSpan());
        Assert.Contains("in flight", e.Message);

        context.Dispose(); // linger 0: the queued message is discarded and released
        WaitUntil(() => buffer.InFlight == 0, "the discarded message to be released");
        Assert.Equal(1000, buffer.GetWritableSpan().Length);
    }

    [Fact]
    public void WhenTheOwnerDisposesABufferStillInFlightThenThePeerStillReceivesItsBytes()
    {
        string endpoint = Ports.FreeEndpoint();
        using var push = _context.CreateSocket(ZmqSocketType.Push);
        push.Connect(endpoint); // not yet listening: the message waits in libzmq's queue
        var content = new byte[100_000];
        new Random(12).NextBytes(content);
        var buffer = new ZmqSharedBuffer(content);
        Assert.True(push.TrySend(buffer, more: false, dontWait: true));

        buffer.Dispose(); // the memory must survive until libzmq has sent it

        using var pull = _context.CreateSocket(ZmqSocketType.Pull);
        Wait.BindWhenFree(pull, endpoint);
        Assert.True(pull.TryReceiveMultipart(_frames, Wait.Deadline));
        Assert.Equal(content, Assert.Single(_frames));
        Assert.Throws<ObjectDisposedException>(() => buffer.Data.Length);
        Assert.Throws<ObjectDisposedException>(() => push.TrySend(buffer, more: false, dontWait: true));
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Wait.Deadline, $"timed out waiting for {what}");
            Thread.Yield();
        }
    }
}
