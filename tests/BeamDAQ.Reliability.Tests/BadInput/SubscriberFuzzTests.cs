using System.Diagnostics;
using System.Text;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.Transport;
using BeamDAQ.Reliability.Tests.Support;
using Xunit.Abstractions;

namespace BeamDAQ.Reliability.Tests.BadInput;

/// <summary>
/// Fuzzed messages over real ZeroMQ (libzmq, TCP on 127.0.0.1) into <see cref="EventSubscriber"/>: mutated payloads,
/// random topics, one-frame and three-frame messages. The subscriber must deliver exactly the messages whose envelope
/// is valid, count every other one as malformed with a reason, and count sequence gaps and restarts exactly as the
/// documented contract says — per message and in total.
/// </summary>
public sealed class SubscriberFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[] ProbeTopic = "probe"u8.ToArray();
    private static readonly byte[] EndTopic = "end"u8.ToArray();

    [Fact]
    public void WhenFuzzedMessagesArriveOverZeroMqThenTheSubscriberDeliversExactlyTheValidOnesAndCountsTheRest()
    {
        int inputs = Budget.SocketInputs;
        var random = new Random(5150);
        var mutator = new Mutator(random);
        var corpus = WireCorpus.Build(random);

        using var context = new ZmqContext();
        using var publisher = context.CreateSocket(ZmqSocketType.Pub);
        publisher.SendHighWaterMark = 0; // unlimited: this test counts decoding, not back-pressure drops
        publisher.Bind("tcp://127.0.0.1:*");
        using var subscriber = new EventSubscriber(context, publisher.LastEndpoint, receiveHighWaterMark: 0);

        var delivered = new List<ReceivedMessage>();
        WaitForSubscription(publisher, subscriber, delivered);

        // Send the fuzz and compute, independently, what the subscriber must report.
        var oracle = new EnvelopeOracle();
        var expected = new Queue<(string Topic, ulong Seq, ulong? Tseq, ulong MissedBefore, bool Reset)>();
        long expectedMalformed = 0;
        foreach (var probe in delivered) oracle.Observe(probe.Topic, probe.Sequence, probe.TopicSequence);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < inputs; i++)
        {
            var seed = corpus[random.Next(corpus.Count)];
            byte[] payload = (i % 5) switch
            {
                0 => mutator.MutateStructure(seed.Payload),
                1 => mutator.RandomMessage(),
                _ => mutator.MutateBytes(seed.Payload, corpus[random.Next(corpus.Count)].Payload),
            };
            byte[] topic = random.Next(50) == 0 ? RandomTopic(random) : Encoding.ASCII.GetBytes(seed.Topic);
            int frames = random.Next(100) switch { 0 => 1, 1 => 3, _ => 2 };
            Send(publisher, topic, payload, frames);
            if (frames != 2 || EnvelopeOracle.Envelope(payload) is not { } envelope)
            {
                expectedMalformed++;
                continue;
            }
            string topicText = Encoding.UTF8.GetString(topic);
            var (missedBefore, reset) = oracle.Observe(topicText, envelope.Seq, envelope.Tseq);
            expected.Enqueue((topicText, envelope.Seq, envelope.Tseq, missedBefore, reset));
        }
        // The end marker opens a topic of its own (tseq 1), so it adds no gap or reset to what the oracle expects.
        Send(publisher, EndTopic, MapMessage.EncodeToArray("end", new Dictionary<string, object?>(), 1, 1), 2);

        // Receive until the end marker (everything before it has arrived: ZeroMQ keeps a connection's order).
        var fuzzDelivered = new List<ReceivedMessage>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"the end marker did not arrive ({fuzzDelivered.Count} delivered so far)");
            if (!subscriber.TryReceive(TimeSpan.FromMilliseconds(200), out var message)) continue;
            if (message.Topic == "end") break;
            if (message.Topic != "probe") fuzzDelivered.Add(message);
            else delivered.Add(message);
        }

        output.WriteLine($"{inputs:N0} messages over tcp://127.0.0.1 in {clock.Elapsed.TotalSeconds:F1} s: {fuzzDelivered.Count:N0} delivered, " +
                         $"{subscriber.Malformed:N0} malformed (last: {subscriber.LastMalformed}), {subscriber.Missed:N0} missed, {subscriber.Resets:N0} resets");

        Assert.Equal(expected.Count, fuzzDelivered.Count);
        Assert.Equal(expectedMalformed, subscriber.Malformed);
        Assert.Equal(delivered.Count + fuzzDelivered.Count + 1, subscriber.Received);
        foreach (var message in fuzzDelivered)
        {
            var want = expected.Dequeue();
            Assert.Equal(want.Topic, message.Topic);
            Assert.Equal(want.Seq, message.Sequence);
            Assert.Equal(want.Tseq, message.TopicSequence);
            Assert.Equal(want.MissedBefore, message.MissedBefore);
            Assert.Equal(want.Reset, message.SequenceReset);
        }
        // Probes carry consecutive numbers after the first (with tseq, a stream of their own) and the end marker is a new
        // topic: neither adds a gap or reset.
        Assert.Equal(oracle.Missed, subscriber.Missed);
        Assert.Equal(oracle.Resets, subscriber.Resets);
        Assert.NotNull(subscriber.LastMalformed);
    }

    /// <summary>Publishes probes until the subscription has reached the publisher (ZeroMQ's slow joiner).</summary>
    private static void WaitForSubscription(ZmqSocket publisher, EventSubscriber subscriber, List<ReceivedMessage> probes)
    {
        var clock = Stopwatch.StartNew();
        ulong seq = 1;
        while (clock.Elapsed < Eventually.Deadline)
        {
            Send(publisher, ProbeTopic, MapMessage.EncodeToArray("probe", new Dictionary<string, object?>(), seq, seq++), 2);
            if (subscriber.TryReceive(TimeSpan.FromMilliseconds(20), out var message))
            {
                probes.Add(message);
                return;
            }
        }
        throw new TimeoutException("the subscriber never received a probe");
    }

    private static void Send(ZmqSocket publisher, byte[] topic, byte[] payload, int frames)
    {
        switch (frames)
        {
            case 1:
                publisher.Send(topic);
                break;
            case 3:
                publisher.Send(topic, more: true);
                publisher.Send(payload, more: true);
                publisher.Send("trailer"u8);
                break;
            default:
                publisher.Send(topic, more: true);
                publisher.Send(payload);
                break;
        }
    }

    private static byte[] RandomTopic(Random random)
    {
        var topic = new byte[1 + random.Next(12)];
        random.NextBytes(topic);
        topic[0] = (byte)'x'; // never a prefix of "probe" or "end"
        return topic;
    }
}
