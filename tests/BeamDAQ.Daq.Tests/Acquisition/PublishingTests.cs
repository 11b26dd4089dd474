using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Daq.Tests.Acquisition;

/// <summary>
/// Publishing next to recording: subscribers get the recorded bytes, and a subscriber that is absent or never reads
/// neither slows nor stops the run file; what could not be published is counted.
/// </summary>
public sealed class PublishingTests
{
    private static readonly TimeSpan RunDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void WhenASubscriberListensThenItReceivesTheRecordedPayloadsByteForByte()
    {
        // A queue that holds the whole run: nothing may be dropped even if the publisher thread gets no CPU for a while.
        using var rig = new FrontEndRig("publish:\n  queue_length: 1000\n");
        using var subscriber = rig.Subscribe();
        rig.FrontEnd.Configure(rig.Config);
        WaitUntilSubscribed(rig, subscriber);

        var started = rig.FrontEnd.StartRun(2, null, eventLimit: 200);
        var received = new List<ReceivedMessage>();
        Eventually.True(() =>
        {
            while (subscriber.TryReceive(TimeSpan.FromMilliseconds(50), out var m)) received.Add(m);
            return received.Count > 0 && received[^1].Topic == Topics.RunEnd;
        }, "run.end arrives");

        var run = RecordedRun.Read(started.File);
        var published = received.Where(m => m.Topic != Topics.DaqStatus).ToList();
        Assert.Equal(run.Records.Count, published.Count);
        for (int i = 0; i < published.Count; i++)
        {
            Assert.Equal(run.Records[i].Topic, published[i].Topic);
            Assert.Equal(run.Records[i].Payload, published[i].Payload.ToArray()); // the record payload IS the wire payload
        }
        Assert.Equal(0, subscriber.Missed);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), published.Where(m => m.Topic == Topics.Event).Select(m => EventCodec.Decode(m.Payload).Trigger));
        // seq counts every message the daq sent — the heartbeats too, which are not recorded — so the file's seq only
        // rises; each topic's tseq rises by one (the publisher's first run: the events are 1..200).
        var fileSequences = run.Records.Select(r => Convert.ToUInt64(r.Map["seq"])).ToList();
        Assert.All(fileSequences.Zip(fileSequences.Skip(1)), p => Assert.True(p.Second > p.First, $"seq {p.Second} after {p.First}"));
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), run.Events.Select(e => e.TopicSequence));
        Assert.Equal((1ul, 1ul), (Convert.ToUInt64(run.Records[0].Map["tseq"]), Convert.ToUInt64(run.Records[^1].Map["tseq"])));
        Assert.All(received.Zip(received.Skip(1)), p => Assert.Equal(p.First.Sequence + 1, p.Second.Sequence)); // on the wire: every message
    }

    [Fact]
    public void WhenNobodySubscribesThenEveryEventIsRecordedAndNothingCountsAsDropped()
    {
        using var rig = new FrontEndRig();
        rig.FrontEnd.Configure(rig.Config);
        var started = rig.FrontEnd.StartRun(1, null, eventLimit: 1000);
        var summary = rig.FrontEnd.WaitForRunEnd(RunDeadline) ?? throw new TimeoutException("the run did not end");

        Assert.Equal(1000ul, summary.Events);
        var scan = RunFileScanner.Scan(started.File);
        Assert.True(scan.IsComplete);
        Assert.Equal(1000L, scan.RecordsByTopic[Topics.Event]);
    }

    [Fact]
    public void WhenASubscriberNeverReadsThenRecordingRunsToTheEndAndTheLostPublicationsAreCounted()
    {
        // 256 kB events and "drop-for-all": once the silent subscriber's queues are full the socket refuses, and the
        // daq counts each refusal instead of waiting.
        using var rig = new FrontEndRig("digitizer:\n  record_length: 131072\nsimulator:\n  precomputed_waveforms: 4\npublish:\n  slow_subscriber: drop-for-all\n");
        using var silent = rig.Subscribe(receiveHighWaterMark: 1);
        rig.FrontEnd.Configure(rig.Config);
        WaitUntilSubscribed(rig, silent);

        var started = rig.FrontEnd.StartRun(1, null, eventLimit: 600);
        var summary = rig.FrontEnd.WaitForRunEnd(RunDeadline) ?? throw new TimeoutException("the run did not end: the silent subscriber held it up");

        Assert.Equal(RunEndReasons.EventLimit, summary.Reason);
        Assert.Equal(600ul, summary.Events);
        Assert.True(summary.Dropped > 0, "publications refused by the full subscriber are counted");
        var run = RecordedRun.Read(started.File);
        Assert.Equal(RunFileEndState.CleanEnd, run.EndState);
        Assert.Equal(600, run.Events.Count);
        Assert.Equal((ulong)summary.Dropped, Convert.ToUInt64(run.End.Extras["dropped"]));
        Assert.True(rig.FrontEnd.Status().Dropped >= summary.Dropped, "daq.status reports the drops (cumulative over the publisher's life)");
    }

    [Fact]
    public void WhenTheHeartbeatRunsThenDaqStatusArrivesWithConsecutiveTopicSequenceNumbersAndTheFigures()
    {
        using var rig = new FrontEndRig();
        using var subscriber = rig.Subscribe(100, Topics.DaqStatus);
        rig.FrontEnd.Configure(rig.Config);
        using var heartbeat = new Heartbeat(TimeSpan.FromMilliseconds(50), () => rig.FrontEnd.Status().ToMessage("Configured", 1), rig.Publisher.Outlet, rig.Logger);

        var beats = new List<DaqStatusMessage>();
        var sequences = new List<ulong>();
        Eventually.True(() =>
        {
            if (subscriber.TryReceive(TimeSpan.FromMilliseconds(100), out var m))
            {
                beats.Add(DaqStatusMessage.FromMap(MessagePackValue.ReadMap(m.Payload.Span)));
                sequences.Add(m.TopicSequence!.Value);
            }
            return beats.Count >= 3;
        }, "three heartbeats");

        Assert.All(beats, b => Assert.Equal("Configured", b.State));
        Assert.All(beats, b => Assert.Equal("ok", b.DeviceState));
        Assert.All(beats, b => Assert.Null(b.Run));
        for (int i = 1; i < sequences.Count; i++) Assert.Equal(sequences[i - 1] + 1, sequences[i]);
    }

    /// <summary>Heartbeats from a short-lived heartbeat prove the subscription is through (no sleep-and-hope).</summary>
    private static void WaitUntilSubscribed(FrontEndRig rig, EventSubscriber subscriber)
    {
        using var probe = new Heartbeat(TimeSpan.FromMilliseconds(20), () => rig.FrontEnd.Status().ToMessage("Configured", 0), rig.Publisher.Outlet, rig.Logger);
        Eventually.True(() => subscriber.TryReceive(TimeSpan.FromMilliseconds(50), out var m) && m.Topic == Topics.DaqStatus, "the subscription is through");
    }
}
