using BeamDAQ.Analysis.Monitor.Ingest;
using BeamDAQ.Monitor.Tests.Support;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Monitor.Tests.Live;

/// <summary>What the monitor receives and what it loses, counted: over real ZeroMQ sockets and through its queue.</summary>
public sealed class IngestTests
{
    [Fact]
    public void WhenThePipelineIsBehindThenNewEventsAreDroppedAndCountedWhileRunBoundariesStillGetThrough()
    {
        using var queue = new IngestQueue(eventCapacity: 16);
        byte[] payload = [0x80];
        for (int i = 0; i < 20; i++) queue.TryEnqueue(Topics.Event, payload);
        Assert.True(queue.TryEnqueue(Topics.RunEnd, payload));

        Assert.Equal(4, queue.DroppedEvents);
        Assert.Equal(16, queue.QueuedEvents);
        int events = 0, others = 0;
        while (queue.TryDequeue(TimeSpan.Zero, out var item))
        {
            if (item.Topic == Topics.Event) events++;
            else others++;
        }
        Assert.Equal((16, 1), (events, others));
        Assert.Equal(0, queue.QueuedEvents);
        Assert.True(queue.TryEnqueue(Topics.Event, payload));
    }

    [Fact]
    public async Task WhenTheEventSequenceHasGapsThenTheMonitorCountsTheMissingEventsAsMissedByTheMonitor()
    {
        await using var monitor = await TestMonitor.StartAsync();
        var events = new SyntheticEvents(seed: 11);
        // evt tseq 1, 2, 3, 7, 8, 10: the publisher "dropped" events 4, 5, 6 and 9 for this subscriber. seq, the count of
        // all the publisher's messages, has no gap here (the lost messages were of other topics it did not ask for):
        // the monitor counts events from tseq.
        ulong[] sequences = [1, 2, 3, 7, 8, 10];
        ulong seq = 500;
        foreach (ulong tseq in sequences)
        {
            var e = events.Next(1, tseq, TestPublisher.Now, 1.0);
            var stamped = new DaqEvent(e.Run, e.Trigger, e.TimeNs, e.Flags, e.SampleRate, e.PreSamples, e.Channels) { Sequence = ++seq, TopicSequence = tseq };
            Assert.True(monitor.Publisher.Publisher.PublishEncoded(Topics.Event, EventCodec.EncodeToArray(stamped)));
        }

        await Eventually.True(() => monitor.Host.State.Read(s => s.TotalEvents) == 6, "the six events to be analysed");
        var diagnostics = monitor.Host.Diagnostics();
        Assert.Equal(4, diagnostics.MissedEvents);
        Assert.Equal(0, diagnostics.DroppedEvents);
        Assert.Equal(4, diagnostics.Connections.Single().MissedEvents);
        // The trigger numbers skipped too: the pipeline's own gap count agrees.
        Assert.Equal(4, diagnostics.TriggerGaps);
    }

    [Fact]
    public async Task WhenAMessageIsNotAMessagePackMapThenItIsCountedAsMalformedAndTheStreamGoesOn()
    {
        await using var monitor = await TestMonitor.StartAsync();
        monitor.Publisher.Publisher.PublishEncoded(Topics.Event, [0xC1, 0x00, 0x01]);
        await monitor.PublishEventsAsync(1, 3, 1.0);

        await Eventually.True(() => monitor.Host.State.Read(s => s.TotalEvents) == 3, "the good events after the bad one");
        Assert.Equal(1, monitor.Host.Diagnostics().Malformed);
    }
}
