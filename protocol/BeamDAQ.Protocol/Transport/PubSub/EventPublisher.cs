using System.Text;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// Publishes BeamDAQ messages (DESIGN §4): two frames, the topic and a MessagePack map stamped with <c>v</c>,
/// <c>seq</c> — this publisher's count of messages, all topics together, from 1 — and <c>tseq</c>, its count of
/// the message's topic alone, from 1. <c>tseq</c> lets a subscriber to any subset of topics tell a lost message
/// from one of a topic it did not ask for. Publishing never blocks: a message that cannot be queued is dropped,
/// counted in <see cref="Dropped"/>, and still consumes its numbers so subscribers see the gap.
/// </summary>
/// <remarks>
/// Thread-safe: acquisition and status timers may publish concurrently (a lock serialises them on the socket).
/// Encoding reuses one <see cref="MessagePackWriter"/>, so publishing does not allocate per message.
/// </remarks>
public sealed class EventPublisher : IDisposable
{
    private readonly ZmqSocket _socket;
    private readonly MessagePackWriter _writer = new(64 * 1024);
    private readonly Dictionary<string, TopicStream> _topics = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private ulong _sequence;
    private long _dropped;
    private long _published;

    /// <param name="bindAddress">e.g. <c>tcp://127.0.0.1:5555</c>, or <c>tcp://127.0.0.1:*</c> and read <see cref="Endpoint"/>.</param>
    /// <param name="sendHighWaterMark">Messages queued per subscriber before the drop policy applies (0 = no limit).</param>
    public EventPublisher(ZmqContext context, string bindAddress, int sendHighWaterMark = 1000,
        PublisherDropPolicy dropPolicy = PublisherDropPolicy.DropForFullSubscriberOnly)
    {
        ArgumentNullException.ThrowIfNull(context);
        _socket = context.CreateSocket(ZmqSocketType.Pub);
        try
        {
            _socket.SendHighWaterMark = sendHighWaterMark;
            if (dropPolicy == PublisherDropPolicy.DropForAllSubscribers) _socket.FailSendWhenSubscriberFull = true;
            _socket.Bind(bindAddress);
            Endpoint = _socket.LastEndpoint;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        DropPolicy = dropPolicy;
    }

    /// <summary>The bound endpoint with its port resolved.</summary>
    public string Endpoint { get; }

    public PublisherDropPolicy DropPolicy { get; }

    /// <summary>The last <c>seq</c> stamped (0 before the first): messages stamped so far, all topics together, sent or dropped.</summary>
    public ulong Sequence { get { lock (_gate) return _sequence; } }

    /// <summary>The last <c>tseq</c> stamped on <paramref name="topic"/> (0 before the first).</summary>
    public ulong TopicSequenceOf(string topic)
    {
        lock (_gate) return _topics.TryGetValue(topic, out var stream) ? stream.LastSequence : 0;
    }

    /// <summary>Messages handed to libzmq.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Messages that could not be queued without blocking.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Publishes <paramref name="map"/> with <c>v</c>, the next <c>seq</c> and the next <c>tseq</c> of <paramref name="topic"/>.</summary>
    /// <returns>False when the message was dropped (counted in <see cref="Dropped"/>).</returns>
    public bool Publish(string topic, IDictionary<string, object?> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        lock (_gate)
        {
            var stream = Stream(topic);
            _writer.Reset();
            // The numbers are taken only once the map has encoded: a map that cannot be encoded throws and leaves no gap.
            MapMessage.Encode(topic, map, _sequence + 1, stream.LastSequence + 1, _writer);
            _sequence++;
            stream.LastSequence++;
            return Send(stream.Utf8, _writer.WrittenSpan);
        }
    }

    /// <summary>
    /// Publishes an <c>evt</c> message stamped with the next <c>seq</c> and <c>tseq</c>, in place of the event's own
    /// <see cref="DaqEvent.Sequence"/> and <see cref="DaqEvent.TopicSequence"/> (the event is not modified).
    /// </summary>
    /// <returns>False when the message was dropped (counted in <see cref="Dropped"/>).</returns>
    public bool PublishEvent(DaqEvent daqEvent)
    {
        ArgumentNullException.ThrowIfNull(daqEvent);
        lock (_gate)
        {
            var stream = Stream(Topics.Event);
            _writer.Reset();
            EventCodec.Encode(daqEvent, _sequence + 1, stream.LastSequence + 1, _writer);
            _sequence++;
            stream.LastSequence++;
            return Send(stream.Utf8, _writer.WrittenSpan);
        }
    }

    /// <summary>
    /// Sends an already encoded payload unchanged (replay of a run file: its <c>seq</c> and <c>tseq</c> are the
    /// recorded ones; the daq's publisher thread: stamped when encoded). Does not stamp and does not advance this
    /// publisher's sequences.
    /// </summary>
    public bool PublishEncoded(string topic, ReadOnlySpan<byte> payload)
    {
        lock (_gate) return Send(Stream(topic).Utf8, payload);
    }

    private bool Send(byte[] topic, ReadOnlySpan<byte> payload)
    {
        if (_socket.TrySendMultipart(topic, payload, dontWait: true))
        {
            _published++;
            return true;
        }
        _dropped++;
        return false;
    }

    private TopicStream Stream(string topic)
    {
        if (_topics.TryGetValue(topic, out var stream)) return stream;
        ArgumentException.ThrowIfNullOrEmpty(topic);
        stream = new TopicStream(Encoding.UTF8.GetBytes(topic));
        _topics.Add(topic, stream);
        return stream;
    }

    public void Dispose() => _socket.Dispose();

    private sealed class TopicStream(byte[] utf8)
    {
        public byte[] Utf8 { get; } = utf8;
        public ulong LastSequence;
    }
}
