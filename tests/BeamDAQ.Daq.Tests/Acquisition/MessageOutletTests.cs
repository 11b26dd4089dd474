using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Daq.Tests.Support;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Transport;
using BeamDAQ.TestSupport;

namespace BeamDAQ.Daq.Tests.Acquisition;

/// <summary>
/// The outlet's numbering (DESIGN §4): <c>seq</c> counts every message the front end sends, whatever the topic, and
/// rises by one from message to message on the wire even while the acquisition thread and the heartbeat send at once;
/// <c>tseq</c> counts each topic. Real queue, publisher thread, PUB and SUB sockets.
/// </summary>
public sealed class MessageOutletTests : IDisposable
{
    private const int Events = 1000, Beats = 1000;
    private readonly ZmqContext _zmq = new() { DefaultLinger = TimeSpan.Zero };
    private readonly Serilog.Core.Logger _log = new CollectingLog().CreateLogger();

    public void Dispose()
    {
        _zmq.Dispose();
        _log.Dispose();
    }

    [Fact]
    public void WhenEventsAndHeartbeatsAreSentFromTwoThreadsThenSeqRisesByOneOnTheWireAndEachTopicsTseqByOne()
    {
        // A queue and socket buffers that hold everything: nothing may be dropped, so every number must arrive.
        var queue = new PublicationQueue(Events + Beats + 256, PublicationDropPolicy.DropOldest);
        using var publisher = new EventPublisher(_zmq, "tcp://127.0.0.1:*", sendHighWaterMark: 0);
        using var pump = new PublisherPump(queue, publisher, _log);
        var outlet = new MessageOutlet(queue, new MessageSequencer());
        using var subscriber = new EventSubscriber(_zmq, publisher.Endpoint, receiveHighWaterMark: 0);
        ReceivedMessage first = default;
        Eventually.True(() =>
        {
            outlet.Send("probe", new Dictionary<string, object?>());
            return subscriber.TryReceive(TimeSpan.FromMilliseconds(20), out first);
        }, "the subscription is through");
        var received = new List<ReceivedMessage> { first };

        var acquisition = new Thread(() =>
        {
            var scratch = new BeamDAQ.Protocol.MessagePack.MessagePackWriter();
            var e = new DaqEvent(1, 1, 0, EventFlags.None, 50e6, 2, [new ChannelRecord(1, 0.8, 12, 0.8 / 2048, 0, new byte[32])]);
            for (int i = 0; i < Events; i++)
            {
                var message = outlet.BeginEvent(scratch);
                EventCodec.Encode(e, message.Stamp.Sequence, message.Stamp.TopicSequence, message.Writer);
                outlet.CompleteEvent(message);
            }
        });
        var heartbeat = new Thread(() =>
        {
            for (int i = 0; i < Beats; i++) outlet.Send(Topics.DaqStatus, new Dictionary<string, object?> { ["beat"] = i });
        });
        acquisition.Start();
        heartbeat.Start();
        acquisition.Join();
        heartbeat.Join();
        Eventually.True(() =>
        {
            while (subscriber.TryReceive(TimeSpan.FromMilliseconds(20), out var m)) received.Add(m);
            return received.Count(m => m.Topic != "probe") == Events + Beats;
        }, "every event and heartbeat arrives");

        for (int i = 1; i < received.Count; i++)
            Assert.True(received[i].Sequence == received[i - 1].Sequence + 1,
                $"message {i} ({received[i].Topic}) has seq {received[i].Sequence} after {received[i - 1].Sequence} ({received[i - 1].Topic})");
        Assert.Equal(Enumerable.Range(1, Events).Select(i => (ulong?)i), received.Where(m => m.Topic == Topics.Event).Select(m => m.TopicSequence));
        Assert.Equal(Enumerable.Range(1, Beats).Select(i => (ulong?)i), received.Where(m => m.Topic == Topics.DaqStatus).Select(m => m.TopicSequence));
        Assert.Equal((0L, 0L, 0L, 0L), (subscriber.Missed, subscriber.Resets, outlet.Dropped, pump.SocketRefused));
        Assert.Equal(outlet.Sequences.Last, received[^1].Sequence);
    }

    [Fact]
    public void WhenAMessageCannotBeRecordedThenItsNumbersGoToTheNextMessage()
    {
        var outlet = new MessageOutlet(new PublicationQueue(8, PublicationDropPolicy.DropOldest), new MessageSequencer());
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "run.bdq");
        var file = BeamDAQ.Protocol.RunFiles.RunFileWriter.Create(path);
        file.Dispose(); // appending now throws, as it does on a full disk

        var first = outlet.Send(Topics.Alarm, new Dictionary<string, object?> { ["a"] = 1 });
        Assert.ThrowsAny<ObjectDisposedException>(() => outlet.Send(Topics.RunEnd, new Dictionary<string, object?>(), file));
        var scratch = new BeamDAQ.Protocol.MessagePack.MessagePackWriter();
        var abandoned = outlet.BeginEvent(scratch);
        outlet.AbandonEvent(abandoned);
        var end = outlet.Send(Topics.RunEnd, new Dictionary<string, object?>());
        var evt = outlet.BeginEvent(scratch);
        outlet.CompleteEvent(evt);

        Assert.Equal(new MessageStamp(1, 1), first);
        Assert.Equal(new MessageStamp(2, 1), abandoned.Stamp); // the run.end that was not recorded left no gap ...
        Assert.Equal(new MessageStamp(2, 1), end);             // ... nor did the abandoned evt: the next message has its seq
        Assert.Equal(new MessageStamp(3, 1), evt.Stamp);
        Assert.Equal((3ul, 1ul, 1ul), (outlet.Sequences.Last, outlet.Sequences.LastOf(Topics.RunEnd), outlet.Sequences.LastOf(Topics.Event)));
    }
}
