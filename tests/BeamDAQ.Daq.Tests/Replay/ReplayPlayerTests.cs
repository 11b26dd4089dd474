using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Daq.Replay;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Daq.Tests.Replay;

/// <summary>A recorded run republished over a real PUB socket, as if live, with the replay marks and the recorded timing.</summary>
public sealed class ReplayPlayerTests
{
    [Fact]
    public void WhenARunIsReplayedThenASubscriberGetsEveryRecordWithTheReplayFlagAndOtherwiseTheRecordedPayload()
    {
        using var rig = new FrontEndRig("publish:\n  queue_length: 1000\n");
        rig.FrontEnd.Configure(rig.Config);
        string file = rig.FrontEnd.StartRun(3, null, eventLimit: 150).File;
        Assert.NotNull(rig.FrontEnd.WaitForRunEnd(TimeSpan.FromSeconds(60)));
        var recorded = RecordedRun.Read(file);

        using var zmq = new ZmqContext();
        using var publisher = new EventPublisher(zmq, "tcp://127.0.0.1:*");
        using var subscriber = new EventSubscriber(zmq, publisher.Endpoint, 10_000);
        WaitUntilSubscribed(publisher, subscriber);

        var clock = new VirtualClock();
        var start = clock.UtcNow;
        using var log = new CollectingLog().CreateLogger();
        var result = new ReplayPlayer(publisher, clock, speed: 10, log).Play(file);

        Assert.Equal(recorded.Records.Count, result.Published);
        Assert.Equal(RunFileEndState.CleanEnd, result.EndState);
        // The recorded timing, ten times faster, on the injected clock.
        var events = recorded.Events;
        Assert.Equal((events[^1].TimeNs - recorded.Begin.TimeNs) / 10 / 100, (clock.UtcNow - start).Ticks, 1.0 * 1000);

        var received = new List<ReceivedMessage>();
        Eventually.True(() =>
        {
            while (subscriber.TryReceive(TimeSpan.FromMilliseconds(50), out var m)) if (m.Topic != "probe") received.Add(m);
            return received.Count >= recorded.Records.Count;
        }, "every replayed record arrives");

        Assert.Equal(recorded.Records.Select(r => r.Topic), received.Select(m => m.Topic));
        for (int i = 0; i < received.Count; i++)
        {
            var original = recorded.Records[i];
            var replayed = received[i];
            switch (original.Topic)
            {
                case Topics.Event:
                    var a = original.Event;
                    var b = EventCodec.Decode(replayed.Payload);
                    Assert.Equal(a.Flags | EventFlags.Replay, b.Flags);
                    Assert.Equal((a.Trigger, a.TimeNs, a.Sequence, a.TopicSequence, a.Run, a.PreSamples), (b.Trigger, b.TimeNs, b.Sequence, b.TopicSequence, b.Run, b.PreSamples));
                    Assert.Equal((a.Sequence, (ulong?)a.TopicSequence), (replayed.Sequence, replayed.TopicSequence)); // as recorded, not re-stamped
                    Assert.Equal(a.Channels[0].SampleBytes.ToArray(), b.Channels[0].SampleBytes.ToArray());
                    break;
                case Topics.RunBegin:
                    var map = MessagePackValue.ReadMap(replayed.Payload.Span);
                    Assert.Equal(true, map["replay"]);
                    map.Remove("replay");
                    Assert.Equal(original.Payload, MapMessage.EncodeToArray(null, map, (ulong)(long)map["seq"]!, (ulong)(long)map["tseq"]!));
                    break;
                default:
                    Assert.Equal(original.Payload, replayed.Payload.ToArray());
                    break;
            }
        }
    }

    [Fact]
    public void WhenTheFileIsTruncatedThenEveryWholeRecordIsReplayedAndTheDamageReported()
    {
        using var rig = new FrontEndRig();
        rig.FrontEnd.Configure(rig.Config);
        string file = rig.FrontEnd.StartRun(4, null, eventLimit: 40).File;
        Assert.NotNull(rig.FrontEnd.WaitForRunEnd(TimeSpan.FromSeconds(60)));
        var recorded = RecordedRun.Read(file);
        using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(recorded.Records[^2].Offset + 10); // inside the last event

        using var zmq = new ZmqContext();
        using var publisher = new EventPublisher(zmq, "tcp://127.0.0.1:*");
        using var log = new CollectingLog().CreateLogger();
        var result = new ReplayPlayer(publisher, new VirtualClock(), speed: null, log).Play(file);

        Assert.Equal(RunFileEndState.TruncatedRecord, result.EndState);
        Assert.Equal(recorded.Records[^2].Offset, result.EndOffset);
        Assert.Equal(recorded.Records.Count - 2, result.Published);
        Assert.Equal(39, result.PerTopic[Topics.Event]);
    }

    /// <summary>Publishes probes until one arrives: the subscription is through.</summary>
    private static void WaitUntilSubscribed(EventPublisher publisher, EventSubscriber subscriber)
    {
        var probe = new Dictionary<string, object?>();
        Eventually.True(() =>
        {
            publisher.Publish("probe", probe);
            return subscriber.TryReceive(TimeSpan.FromMilliseconds(20), out var m) && m.Topic == "probe";
        }, "the subscription is through");
        while (subscriber.TryReceive(TimeSpan.FromMilliseconds(20), out _)) { }
    }
}
