using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.Tests.MessagePack.Support;
using BeamDAQ.Protocol.Tests.Transport.Support;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Protocol.Tests.Transport;

public sealed class EventPublisherSubscriberTests : IDisposable
{
    private const string AnyPort = "tcp://127.0.0.1:*";
    private static readonly Dictionary<string, object?> Hello = new() { ["hello"] = true };
    private readonly ZmqContext _context = new() { DefaultLinger = TimeSpan.Zero };

    public void Dispose() => _context.Dispose();

    [Fact]
    public void WhenMapsArePublishedThenEachCarriesVTheSeqOfAllTopicsAndTheTseqOfItsOwnTopicFromOne()
    {
        using var publisher = new EventPublisher(_context, AnyPort);
        using var subscriber = new EventSubscriber(_context, publisher.Endpoint);
        Wait.PublishUntilReceived(() => publisher.Publish("hello", Hello), subscriber);
        ulong helloCount = publisher.Sequence;
        Assert.Equal(helloCount, publisher.TopicSequenceOf("hello")); // only hellos so far

        foreach (var topic in new[] { Topics.SlowControl, Topics.SlowControl, Topics.DaqStatus, Topics.SlowControl, Topics.DaqStatus })
            Assert.True(publisher.Publish(topic, new Dictionary<string, object?> { ["name"] = "hv", ["value"] = 1.5 }));
        publisher.Publish("end", Hello);
        var received = Wait.ReceiveUntilTopic(subscriber, "end").Where(m => m.Topic != "hello").ToList();

        Assert.Equal(Enumerable.Range(1, 5).Select(i => helloCount + (ulong)i), received.Select(m => m.Sequence));
        Assert.Equal(new ulong?[] { 1, 2, 3 }, received.Where(m => m.Topic == Topics.SlowControl).Select(m => m.TopicSequence));
        Assert.Equal(new ulong?[] { 1, 2 }, received.Where(m => m.Topic == Topics.DaqStatus).Select(m => m.TopicSequence));
        Assert.All(received, m => Assert.Equal(SchemaVersion.Current, m.Version));
        var map = MapMessage.Decode(received[0].Payload.Span);
        Assert.Equal("hv", map["name"]);
        Assert.Equal(1.5, map["value"]);
        Assert.Equal(3ul, publisher.TopicSequenceOf(Topics.SlowControl));
        Assert.Equal(helloCount + 5 + 1, publisher.Sequence);
        Assert.Equal(0, subscriber.Missed);
        Assert.Equal(0, subscriber.Malformed);
        Assert.Equal(0, publisher.Dropped);
    }

    [Fact]
    public void WhenAnEventIsPublishedThenItArrivesStampedAndDecodesToTheSameFieldsAndSamples()
    {
        using var publisher = new EventPublisher(_context, AnyPort);
        using var subscriber = new EventSubscriber(_context, publisher.Endpoint, "hello", Topics.Event);
        Wait.PublishUntilReceived(() => publisher.Publish("hello", Hello), subscriber);
        ulong before = publisher.Sequence;
        var sent = SampleEvents.Create(channels: 2, samplesPerChannel: 20_000, seed: 3, sequence: 999, topicSequence: 998); // 80 kB of samples

        Assert.True(publisher.PublishEvent(sent));
        Assert.True(publisher.PublishEvent(sent));
        var evts = new List<ReceivedMessage>();
        while (evts.Count < 2)
        {
            Assert.True(subscriber.TryReceive(Wait.Deadline, out var message));
            if (message.Topic == Topics.Event) evts.Add(message);
        }

        Assert.Equal(new[] { before + 1, before + 2 }, evts.Select(m => m.Sequence)); // the publisher's stamp, not the event's 999
        Assert.Equal(new ulong?[] { 1, 2 }, evts.Select(m => m.TopicSequence));
        var decoded = EventCodec.Decode(evts[1].Payload);
        Assert.Equal((before + 2, 2ul), (decoded.Sequence, decoded.TopicSequence));
        Assert.Equal(sent.Run, decoded.Run);
        Assert.Equal(sent.Trigger, decoded.Trigger);
        Assert.Equal(sent.TimeNs, decoded.TimeNs);
        Assert.Equal(sent.Flags, decoded.Flags);
        Assert.Equal(sent.SampleRate, decoded.SampleRate);
        Assert.Equal(sent.PreSamples, decoded.PreSamples);
        Assert.Equal(sent.Channels.Count, decoded.Channels.Count);
        for (int i = 0; i < sent.Channels.Count; i++)
        {
            Assert.Equal(sent.Channels[i].Id, decoded.Channels[i].Id);
            Assert.Equal(sent.Channels[i].Lsb, decoded.Channels[i].Lsb);
            Assert.True(sent.Channels[i].SampleBytes.Span.SequenceEqual(decoded.Channels[i].SampleBytes.Span));
        }
        Assert.Equal((999ul, 998ul), (sent.Sequence, sent.TopicSequence)); // the caller's event is not modified
    }

    [Fact]
    public void WhenAPayloadIsPublishedEncodedThenItIsSentUnchangedAndConsumesNoSequence()
    {
        using var publisher = new EventPublisher(_context, AnyPort);
        using var subscriber = new EventSubscriber(_context, publisher.Endpoint, "hello", Topics.Event);
        Wait.PublishUntilReceived(() => publisher.Publish("hello", Hello), subscriber);
        ulong before = publisher.Sequence;
        byte[] recorded = EventCodec.EncodeToArray(SampleEvents.Create(1, 100, seed: 9, sequence: 4711, topicSequence: 4700));

        Assert.True(publisher.PublishEncoded(Topics.Event, recorded));

        ReceivedMessage replayed;
        do Assert.True(subscriber.TryReceive(Wait.Deadline, out replayed));
        while (replayed.Topic != Topics.Event);
        Assert.Equal(recorded, replayed.Payload.ToArray());
        Assert.Equal((4711ul, (ulong?)4700), (replayed.Sequence, replayed.TopicSequence));
        Assert.Equal(0ul, publisher.TopicSequenceOf(Topics.Event));
        Assert.Equal(before, publisher.Sequence);
    }

    [Fact]
    public void WhenMessagesDoNotDecodeThenTheyAreSkippedCountedAndTheReasonNamesTheProblem()
    {
        using var pub = _context.CreateSocket(ZmqSocketType.Pub);
        pub.Bind(AnyPort);
        using var subscriber = new EventSubscriber(_context, pub.LastEndpoint);
        ulong seq = 0;
        Wait.PublishUntilReceived(() => pub.TrySendMultipart("hello"u8, MapMessage.EncodeToArray("hello", Hello, ++seq), dontWait: true), subscriber);

        pub.Send("evt"u8);                                                   // one frame
        pub.Send("evt"u8, more: true); pub.Send([0x80], more: true); pub.Send([0x80]); // three frames
        pub.Send("evt"u8, more: true); pub.Send("not msgpack"u8);            // not a map
        pub.Send("evt"u8, more: true); pub.Send([0x81, 0xa1, (byte)'v', 0x01]); // a map without seq
        pub.Send("evt"u8, more: true); pub.Send([0x82, 0xa1, (byte)'v', 0x01, 0xa3, (byte)'s', (byte)'e', (byte)'q']); // truncated
        pub.TrySendMultipart("end"u8, MapMessage.EncodeToArray("end", Hello, ++seq), dontWait: false);

        var before = Wait.ReceiveUntilTopic(subscriber, "end");

        Assert.All(before, m => Assert.Equal("hello", m.Topic));
        Assert.Equal(5, subscriber.Malformed);
        Assert.Contains("at byte offset", subscriber.LastMalformed);
        Assert.Contains("topic 'evt'", subscriber.LastMalformed);
        Assert.Equal(0, subscriber.Missed);
    }

    [Fact]
    public void WhenTheFirstMalformedReasonsAreReadThenEachKindIsNamed()
    {
        using var pub = _context.CreateSocket(ZmqSocketType.Pub);
        pub.Bind(AnyPort);
        using var subscriber = new EventSubscriber(_context, pub.LastEndpoint);
        ulong seq = 0;
        Wait.PublishUntilReceived(() => pub.TrySendMultipart("hello"u8, MapMessage.EncodeToArray("hello", Hello, ++seq), dontWait: true), subscriber);
        var reasons = new List<string?>();

        void Expect(Action send)
        {
            long before = subscriber.Malformed;
            send();
            pub.TrySendMultipart("end"u8, MapMessage.EncodeToArray("end", Hello, ++seq), dontWait: false);
            Wait.ReceiveUntilTopic(subscriber, "end");
            Assert.Equal(before + 1, subscriber.Malformed);
            reasons.Add(subscriber.LastMalformed);
        }

        Expect(() => pub.Send("evt"u8));
        Expect(() => { pub.Send("evt"u8, more: true); pub.Send([0x80], more: true); pub.Send([0x80]); });
        Expect(() => { pub.Send("evt"u8, more: true); pub.Send([0x81, 0xa1, (byte)'v', 0x01]); });
        Expect(() => { pub.Send("evt"u8, more: true); pub.Send(MapWithTseq(-1)); });

        Assert.Contains("single frame", reasons[0]);
        Assert.Contains("3 frames", reasons[1]);
        Assert.Contains("'seq'", reasons[2]);
        Assert.Contains("key 'tseq'", reasons[3]);
        Assert.Contains("negative", reasons[3]);
        Assert.Equal(0, subscriber.Resets);
    }

    [Fact]
    public void WhenTheSubscriberFallsBehindThenOnlyItLosesMessagesAndCountsEveryGapAsMissed()
    {
        using var publisher = new EventPublisher(_context, AnyPort, sendHighWaterMark: 10);
        using var subscriber = new EventSubscriber(_context, publisher.Endpoint, receiveHighWaterMark: 10);
        Wait.PublishUntilReceived(() => publisher.Publish("hello", Hello), subscriber);

        var bulk = BulkMap();
        for (int i = 0; i < 20_000; i++) Assert.True(publisher.Publish("bulk", bulk)); // never blocks, never fails
        var received = ReceiveBulkUntilEnd(publisher, subscriber);

        ulong first = received[0].TopicSequence!.Value, last = received[^1].TopicSequence!.Value;
        ulong gaps = (ulong)received.Skip(1).Sum(m => (long)m.MissedBefore);
        Assert.True(gaps > 0, "the queues were small enough that messages had to be dropped");
        Assert.Equal(last - first + 1, (ulong)received.Count + gaps); // every message in the window: received or counted
        Assert.Equal((long)gaps, subscriber.Missed);
        Assert.Equal(0, publisher.Dropped);
    }

    [Fact]
    public void WhenDroppingForAllSubscribersThenThePublisherCountsDropsAndTheSubscriberSeesExactlyThoseGaps()
    {
        using var publisher = new EventPublisher(_context, AnyPort, sendHighWaterMark: 10, PublisherDropPolicy.DropForAllSubscribers);
        using var subscriber = new EventSubscriber(_context, publisher.Endpoint, receiveHighWaterMark: 10);
        Wait.PublishUntilReceived(() => publisher.Publish("hello", Hello), subscriber);

        var bulk = BulkMap();
        var dropped = new HashSet<ulong>();
        for (int i = 0; i < 20_000; i++)
            if (!publisher.Publish("bulk", bulk)) dropped.Add(publisher.TopicSequenceOf("bulk"));
        long droppedBulk = publisher.Dropped; // the end markers below may be dropped too
        var received = ReceiveBulkUntilEnd(publisher, subscriber);

        ulong first = received[0].TopicSequence!.Value, last = received[^1].TopicSequence!.Value;
        Assert.True(droppedBulk > 0, "the queues were small enough that sends had to fail");
        Assert.Equal(dropped.Count, droppedBulk);
        Assert.Equal(dropped.Count(s => s > first && s < last), subscriber.Missed);
        Assert.Equal(last - first + 1, (ulong)received.Count + (ulong)subscriber.Missed); // nothing lost silently
    }

    [Fact]
    public void WhenThePublisherRestartsThenTheSubscriberReportsAResetAndNotAGap()
    {
        var first = new EventPublisher(_context, AnyPort, sendHighWaterMark: 0);
        string endpoint = first.Endpoint;
        using var subscriber = new EventSubscriber(_context, endpoint, receiveHighWaterMark: 0);
        Wait.PublishUntilReceived(() => first.Publish(Topics.SlowControl, Hello), subscriber);
        while (first.TopicSequenceOf(Topics.SlowControl) < 500) first.Publish(Topics.SlowControl, Hello);
        while (true)
        {
            Assert.True(subscriber.TryReceive(Wait.Deadline, out var m));
            if (m.TopicSequence == 500) break;
        }
        first.Dispose();

        using var second = Wait.BindWhenFree(() => new EventPublisher(_context, endpoint));
        var afterRestart = Wait.PublishUntilReceived(() => second.Publish(Topics.SlowControl, Hello), subscriber);

        Assert.True(afterRestart.SequenceReset);
        Assert.Equal(0ul, afterRestart.MissedBefore);
        Assert.Equal(1, subscriber.Resets);
        Assert.Equal(0, subscriber.Missed);
        Assert.Contains("tseq went from 500 to", subscriber.LastReset);
    }

    /// <summary><c>{v: 1, seq: 1, tseq: value}</c>, written by hand: the encoders never write a signed <c>tseq</c>.</summary>
    private static byte[] MapWithTseq(long value)
    {
        var writer = new MessagePackWriter();
        writer.WriteMapHeader(3);
        writer.WriteKey("v"u8); writer.WriteInt64(1);
        writer.WriteKey("seq"u8); writer.WriteUInt64(1);
        writer.WriteKey("tseq"u8); writer.WriteInt64(value);
        return writer.WrittenSpan.ToArray();
    }

    private static Dictionary<string, object?> BulkMap() => new() { ["blob"] = new byte[1000] };

    /// <summary>
    /// Drains "bulk" until an "end" message arrives. "end" is published until one gets through, so it cannot be
    /// lost to the full queues; ZeroMQ keeps order, so every bulk message that was not dropped is in front of it.
    /// </summary>
    private static List<ReceivedMessage> ReceiveBulkUntilEnd(EventPublisher publisher, EventSubscriber subscriber)
    {
        var received = new List<ReceivedMessage>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < Wait.Deadline)
        {
            publisher.Publish("end", Hello);
            while (subscriber.TryReceive(TimeSpan.FromMilliseconds(20), out var message))
            {
                if (message.Topic == "end") return received;
                if (message.Topic == "bulk") received.Add(message);
            }
        }
        throw new TimeoutException("the end marker never arrived");
    }
}
