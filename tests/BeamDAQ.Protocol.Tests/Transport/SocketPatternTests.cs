using System.Text;
using BeamDAQ.Protocol.Tests.Transport.Support;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport;

/// <summary>Every socket pattern BeamDAQ uses, over real libzmq on 127.0.0.1.</summary>
public sealed class SocketPatternTests : IDisposable
{
    private const string AnyPort = "tcp://127.0.0.1:*";
    private readonly ZmqContext _context = new();
    private readonly List<byte[]> _frames = [];

    public void Dispose() => _context.Dispose();

    [Fact]
    public void WhenPublisherSendsThenSubscriberReceivesTopicAndPayload()
    {
        using var pub = _context.CreateSocket(ZmqSocketType.Pub);
        using var sub = _context.CreateSocket(ZmqSocketType.Sub);
        pub.Bind(AnyPort);
        sub.Subscribe("evt");
        sub.Connect(pub.LastEndpoint);

        var frames = Wait.SendUntilReceived(pub, "evt"u8.ToArray(), [1, 2, 3], sub);

        Assert.Equal(2, frames.Count);
        Assert.Equal("evt"u8.ToArray(), frames[0]);
        Assert.Equal(new byte[] { 1, 2, 3 }, frames[1]);
    }

    [Fact]
    public void WhenSubscribedToAPrefixThenOtherTopicsAreFilteredOut()
    {
        using var pub = _context.CreateSocket(ZmqSocketType.Pub);
        using var sub = _context.CreateSocket(ZmqSocketType.Sub);
        pub.Bind(AnyPort);
        sub.Subscribe("run.");
        sub.Connect(pub.LastEndpoint);
        Wait.SendUntilReceived(pub, "run.begin"u8.ToArray(), [0], sub);

        pub.Send("evt"u8, more: true);
        pub.Send([1]);
        pub.Send("run.end"u8, more: true);
        pub.Send([2]);

        // Drain whatever handshake copies are still queued; "evt" must never appear before "run.end".
        while (true)
        {
            Assert.True(sub.TryReceiveMultipart(_frames, Wait.Deadline));
            string topic = Encoding.ASCII.GetString(_frames[0]);
            Assert.StartsWith("run.", topic);
            if (topic == "run.end") break;
        }
    }

    [Fact]
    public void WhenUnsubscribedThenTheTopicIsNoLongerDelivered()
    {
        using var pub = _context.CreateSocket(ZmqSocketType.Pub);
        using var sub = _context.CreateSocket(ZmqSocketType.Sub);
        pub.Bind(AnyPort);
        sub.Subscribe("a");
        sub.Subscribe("b");
        sub.Connect(pub.LastEndpoint);
        Wait.SendUntilReceived(pub, "a"u8.ToArray(), [0], sub);

        sub.Unsubscribe("a");
        // The SUB socket filters locally too, so from here on "a" cannot be delivered, whatever the publisher
        // has already sent; "b" marks the end.
        pub.Send("a"u8, more: true);
        pub.Send([1]);
        var end = Wait.SendUntilReceived(pub, "b"u8.ToArray(), [2], sub);
        Assert.Equal("b"u8.ToArray(), end[0]);
        while (sub.TryReceiveMultipart(_frames, TimeSpan.Zero))
            Assert.Equal("b"u8.ToArray(), _frames[0]);
    }

    [Fact]
    public void WhenRequestIsSentThenReplierAnswersAndRequesterGetsTheReply()
    {
        using var rep = _context.CreateSocket(ZmqSocketType.Rep);
        using var req = _context.CreateSocket(ZmqSocketType.Req);
        rep.Bind(AnyPort);
        req.Connect(rep.LastEndpoint);

        req.Send("ping"u8);
        Assert.True(rep.TryReceiveMultipart(_frames, Wait.Deadline));
        Assert.Equal("ping"u8.ToArray(), Assert.Single(_frames));
        rep.Send("pong"u8);
        Assert.True(req.TryReceiveMultipart(_frames, Wait.Deadline));
        Assert.Equal("pong"u8.ToArray(), Assert.Single(_frames));
    }

    [Fact]
    public void WhenDealerSendsThenRouterSeesItsIdentityAndRoutesTheReplyBack()
    {
        using var router = _context.CreateSocket(ZmqSocketType.Router);
        using var dealer = _context.CreateSocket(ZmqSocketType.Dealer);
        router.Bind(AnyPort);
        dealer.Connect(router.LastEndpoint);

        dealer.Send("job"u8);
        Assert.True(router.TryReceiveMultipart(_frames, Wait.Deadline));
        Assert.Equal(2, _frames.Count); // routing id, then the frame the dealer sent
        Assert.Equal("job"u8.ToArray(), _frames[1]);

        byte[] identity = _frames[0];
        router.Send(identity, more: true);
        router.Send("done"u8);
        Assert.True(dealer.TryReceiveMultipart(_frames, Wait.Deadline));
        Assert.Equal("done"u8.ToArray(), Assert.Single(_frames));
    }

    [Fact]
    public void WhenPushSendsThenPullReceivesEveryMessageInOrder()
    {
        using var pull = _context.CreateSocket(ZmqSocketType.Pull);
        using var push = _context.CreateSocket(ZmqSocketType.Push);
        pull.Bind(AnyPort);
        push.Connect(pull.LastEndpoint);

        for (int i = 0; i < 100; i++) push.Send(BitConverter.GetBytes(i));
        for (int i = 0; i < 100; i++)
        {
            Assert.True(pull.TryReceiveMultipart(_frames, Wait.Deadline));
            Assert.Equal(i, BitConverter.ToInt32(Assert.Single(_frames)));
        }
    }

    [Fact]
    public void WhenAMultipartMessageIsSentThenAllFramesArriveTogetherUnchanged()
    {
        using var pull = _context.CreateSocket(ZmqSocketType.Pull);
        using var push = _context.CreateSocket(ZmqSocketType.Push);
        pull.Bind(AnyPort);
        push.Connect(pull.LastEndpoint);
        var large = new byte[80 * 1024];
        new Random(5).NextBytes(large);

        push.Send("evt"u8, more: true);
        push.Send([], more: true);
        push.Send(large, more: true);
        push.Send([42]);

        Assert.True(pull.TryReceiveMultipart(_frames, Wait.Deadline));
        Assert.Equal(4, _frames.Count);
        Assert.Equal("evt"u8.ToArray(), _frames[0]);
        Assert.Empty(_frames[1]);
        Assert.Equal(large, _frames[2]);
        Assert.Equal(new byte[] { 42 }, _frames[3]);
    }

    [Fact]
    public void WhenReceivingIntoAZmqMessageThenTheLargeFrameIsExposedWithoutCopyAndMoreIsReported()
    {
        using var pull = _context.CreateSocket(ZmqSocketType.Pull);
        using var push = _context.CreateSocket(ZmqSocketType.Push);
        pull.Bind(AnyPort);
        push.Connect(pull.LastEndpoint);
        var large = new byte[80 * 1024];
        new Random(6).NextBytes(large);
        using var topic = new ZmqMessage();
        using var payload = new ZmqMessage();

        for (int round = 0; round < 3; round++)
        {
            large[0] = (byte)round;
            Assert.True(push.TrySendMultipart("evt"u8, large, dontWait: false));
            Assert.True(pull.TryReceive(topic, Wait.Deadline));
            Assert.True(topic.More);
            Assert.Equal("evt", topic.ToString());
            Assert.True(pull.TryReceive(payload, dontWait: true));
            Assert.False(payload.More);
            Assert.Equal(large.Length, payload.Size);
            Assert.True(payload.Data.SequenceEqual(large)); // the same message objects, reused every round
        }
    }

    [Fact]
    public void WhenDisconnectedThenPushHasNoPeerLeftToSendTo()
    {
        using var pull = _context.CreateSocket(ZmqSocketType.Pull);
        using var push = _context.CreateSocket(ZmqSocketType.Push);
        pull.Bind(AnyPort);
        push.Connect(pull.LastEndpoint);
        Assert.True(push.TrySend([1], more: false, dontWait: true));
        Assert.True(pull.TryReceiveMultipart(_frames, Wait.Deadline));

        push.Disconnect(pull.LastEndpoint);

        Assert.False(push.TrySend([2], more: false, dontWait: true));
    }

    [Fact]
    public void WhenUnboundThenTheSamePortCanBeBoundAgain()
    {
        using var first = _context.CreateSocket(ZmqSocketType.Pull);
        first.Bind(AnyPort);
        string endpoint = first.LastEndpoint;
        first.Unbind(endpoint);

        using var second = _context.CreateSocket(ZmqSocketType.Pull);
        Wait.BindWhenFree(second, endpoint); // the listener closes on libzmq's I/O thread, shortly after Unbind
        Assert.Equal(endpoint, second.LastEndpoint);
    }
}
