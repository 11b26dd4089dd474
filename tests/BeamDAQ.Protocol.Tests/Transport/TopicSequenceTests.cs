using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Tests.Transport.Support;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport;

/// <summary>
/// The envelope's two counts over real sockets (docs/format.md §1): <c>seq</c> numbers every message of a
/// publisher, <c>tseq</c> every message of one topic, and a subscriber counts losses per topic from <c>tseq</c> —
/// or, from a publisher that sends no <c>tseq</c>, from <c>seq</c> over all topics.
/// </summary>
public sealed class TopicSequenceTests : IDisposable
{
    private const string AnyPort = "tcp://127.0.0.1:*";
    private const string Alpha = "alpha", Beta = "beta", Hello = "hello", End = "end";
    private static readonly string[] Script = [Alpha, Beta, Alpha, Alpha, Beta, Alpha, Beta];
    private static readonly Dictionary<string, object?> Empty = [];
    private readonly ZmqContext _context = new() { DefaultLinger = TimeSpan.Zero };

    public void Dispose() => _context.Dispose();

    [Fact]
    public void WhenTwoTopicsInterleaveThenSeqRunsAcrossTopicsTseqPerTopicAndASubscriberToOneTopicMissesNothing()
    {
        using var publisher = new EventPublisher(_context, AnyPort);
        using var everything = new EventSubscriber(_context, publisher.Endpoint);
        using var alphaOnly = new EventSubscriber(_context, publisher.Endpoint, Hello, Alpha, End);
        Wait.PublishUntilReceived(() => publisher.Publish(Hello, Empty), everything);
        Wait.PublishUntilReceived(() => publisher.Publish(Hello, Empty), alphaOnly);
        ulong start = publisher.Sequence;

        foreach (var topic in Script) Assert.True(publisher.Publish(topic, Empty));
        Assert.True(publisher.Publish(End, Empty));
        var all = Wait.ReceiveUntilTopic(everything, End).Where(m => m.Topic != Hello).ToList();
        var alphas = Wait.ReceiveUntilTopic(alphaOnly, End).Where(m => m.Topic != Hello).ToList();

        Assert.Equal(Script, all.Select(m => m.Topic));
        Assert.Equal(Enumerable.Range(1, Script.Length).Select(i => start + (ulong)i), all.Select(m => m.Sequence));
        Assert.Equal(new ulong?[] { 1, 2, 3, 4 }, all.Where(m => m.Topic == Alpha).Select(m => m.TopicSequence));
        Assert.Equal(new ulong?[] { 1, 2, 3 }, all.Where(m => m.Topic == Beta).Select(m => m.TopicSequence));
        Assert.Equal((4ul, 3ul), (publisher.TopicSequenceOf(Alpha), publisher.TopicSequenceOf(Beta)));

        // The alpha-only subscriber sees seq jump over the betas it did not ask for, and counts none of them.
        Assert.Equal(new[] { start + 1, start + 3, start + 4, start + 6 }, alphas.Select(m => m.Sequence));
        Assert.Equal(new ulong?[] { 1, 2, 3, 4 }, alphas.Select(m => m.TopicSequence));
        Assert.All(alphas, m => Assert.Equal(0ul, m.MissedBefore));
        Assert.Equal((0L, 0L), (alphaOnly.Missed, alphaOnly.Resets));
        Assert.Equal((0L, 0L), (everything.Missed, everything.Resets));
    }

    [Fact]
    public void WhenOneMessageOfATopicIsLostOnTheWayThenExactlyOneIsCountedMissedAndOnlyForThatTopic()
    {
        // What EventPublisher stamps is tapped and relayed byte for byte, all but the second alpha: a loss on the way.
        using var publisher = new EventPublisher(_context, AnyPort);
        using var tap = new EventSubscriber(_context, publisher.Endpoint);
        using var relay = _context.CreateSocket(ZmqSocketType.Pub);
        relay.Bind(AnyPort);
        using var everything = new EventSubscriber(_context, relay.LastEndpoint);
        using var alphaOnly = new EventSubscriber(_context, relay.LastEndpoint, Hello, Alpha, End);
        using var betaOnly = new EventSubscriber(_context, relay.LastEndpoint, Hello, Beta, End);
        Wait.PublishUntilReceived(() => publisher.Publish(Hello, Empty), tap);
        ulong hellos = 0;
        foreach (var subscriber in new[] { everything, alphaOnly, betaOnly })
            Wait.PublishUntilReceived(() => relay.TrySendMultipart("hello"u8, MapMessage.EncodeToArray(Hello, Empty, ++hellos, hellos), dontWait: true), subscriber);

        foreach (var topic in Script) Assert.True(publisher.Publish(topic, Empty));
        Assert.True(publisher.Publish(End, Empty));
        var stamped = Wait.ReceiveUntilTopic(tap, End).Where(m => m.Topic != Hello).ToList();
        Assert.Equal(Script, stamped.Select(m => m.Topic));
        foreach (var m in stamped.Where(m => !(m.Topic == Alpha && m.TopicSequence == 2)))
            Assert.True(relay.TrySendMultipart(System.Text.Encoding.ASCII.GetBytes(m.Topic), m.Payload.Span, dontWait: false));
        Assert.True(relay.TrySendMultipart("end"u8, MapMessage.EncodeToArray(End, Empty, 1, 1), dontWait: false));

        var alphas = Wait.ReceiveUntilTopic(alphaOnly, End).Where(m => m.Topic == Alpha).ToList();
        Wait.ReceiveUntilTopic(betaOnly, End);
        Wait.ReceiveUntilTopic(everything, End);

        Assert.Equal(new ulong?[] { 1, 3, 4 }, alphas.Select(m => m.TopicSequence));
        Assert.Equal(new ulong[] { 0, 1, 0 }, alphas.Select(m => m.MissedBefore));
        Assert.Equal(1, alphaOnly.Missed);
        Assert.Equal(0, betaOnly.Missed);
        Assert.Equal(1, everything.Missed);
        Assert.Equal((0L, 0L, 0L), (alphaOnly.Resets, betaOnly.Resets, everything.Resets));
    }

    [Fact]
    public void WhenAPublisherSendsNoTseqThenLossesAreCountedFromSeqAcrossAllItsTopics()
    {
        // A publisher that keeps one count only (a script of an analyst's, say): seq, no tseq.
        using var publisher = _context.CreateSocket(ZmqSocketType.Pub);
        publisher.Bind(AnyPort);
        using var everything = new EventSubscriber(_context, publisher.LastEndpoint);
        using var alphaOnly = new EventSubscriber(_context, publisher.LastEndpoint, Hello, Alpha, End);
        ulong seq = 0;
        void Send(string topic) => Assert.True(publisher.TrySendMultipart(System.Text.Encoding.ASCII.GetBytes(topic), MapMessage.EncodeToArray(topic, Empty, ++seq), dontWait: false));
        foreach (var subscriber in new[] { everything, alphaOnly })
            Wait.PublishUntilReceived(() => Send(Hello), subscriber);

        Send(Alpha);
        Send(Beta);
        Send(Alpha);
        seq++; // an alpha lost on the way
        Send(Beta);
        Send(Alpha);
        Send(End);
        var all = Wait.ReceiveUntilTopic(everything, End).Where(m => m.Topic != Hello).ToList();
        var alphas = Wait.ReceiveUntilTopic(alphaOnly, End).Where(m => m.Topic != Hello).ToList();

        Assert.All(all, m => Assert.Null(m.TopicSequence));
        Assert.Equal(new ulong[] { 0, 0, 0, 1, 0 }, all.Select(m => m.MissedBefore));
        Assert.Equal(1, everything.Missed);
        // Subscribed to some topics only, the betas it never asked for count as missed too: why tseq exists.
        Assert.Equal(new ulong[] { 0, 1, 2 }, alphas.Select(m => m.MissedBefore));
        Assert.Equal(3, alphaOnly.Missed);
        Assert.Equal((0L, 0L), (everything.Resets, alphaOnly.Resets));
    }

    [Fact]
    public void WhenTheSeqOfAPublisherWithoutTseqGoesBackThenItIsARestartWhateverTheTopic()
    {
        using var publisher = _context.CreateSocket(ZmqSocketType.Pub);
        publisher.Bind(AnyPort);
        using var subscriber = new EventSubscriber(_context, publisher.LastEndpoint);
        ulong seq = 40;
        void Send(string topic, ulong s) => Assert.True(publisher.TrySendMultipart(System.Text.Encoding.ASCII.GetBytes(topic), MapMessage.EncodeToArray(topic, Empty, s), dontWait: false));
        Wait.PublishUntilReceived(() => Send(Hello, ++seq), subscriber);

        Send(Alpha, ++seq);
        Send(Beta, 1); // restarted: counting from 1 again, now on another topic
        Send(Alpha, 2);
        Send(End, 3);
        var received = Wait.ReceiveUntilTopic(subscriber, End).Where(m => m.Topic != Hello).ToList();

        Assert.Equal(new[] { false, true, false }, received.Select(m => m.SequenceReset));
        Assert.Equal((1L, 0L), (subscriber.Resets, subscriber.Missed));
        Assert.Equal($"topic 'beta': seq went from {seq} to 1 (publisher restarted)", subscriber.LastReset);
    }
}
