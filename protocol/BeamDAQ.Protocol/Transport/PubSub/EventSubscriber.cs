using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// Subscribes to a BeamDAQ publisher and accounts for everything it does not deliver: sequence gaps
/// (<see cref="Missed"/>), publisher restarts (<see cref="Resets"/>) and messages that are not a topic frame plus
/// one MessagePack map carrying unsigned <c>seq</c> and integer <c>v</c>, and <c>tseq</c> unsigned when present
/// (<see cref="Malformed"/>, the latest reason in <see cref="LastMalformed"/>). Malformed messages are skipped,
/// never delivered.
/// </summary>
/// <remarks>
/// Gaps are counted per topic from <c>tseq</c>, the publisher's count of each topic, so subscribing to some topics
/// only costs nothing. A message without <c>tseq</c> (a publisher that keeps no per-topic count) is counted from
/// <c>seq</c>, the publisher's count of all its messages, in one stream across topics: right only when subscribed to
/// every topic the publisher sends, since the messages of the others show up as gaps too.
/// Not thread-safe: one thread receives.
/// </remarks>
public sealed class EventSubscriber : IDisposable
{
    private readonly ZmqSocket _socket;
    private readonly ZmqMessage _topicFrame = new();
    private readonly ZmqMessage _payloadFrame = new();
    private readonly SequenceTracker _topicSequences = new();
    private readonly SequenceTracker _publisherSequence = new();

    /// <param name="connectAddress">The publisher, e.g. <c>tcp://127.0.0.1:5555</c>; it may start later.</param>
    /// <param name="topics">Topic prefixes to receive; none means all.</param>
    public EventSubscriber(ZmqContext context, string connectAddress, params string[] topics)
        : this(context, connectAddress, receiveHighWaterMark: 1000, topics)
    {
    }

    /// <param name="receiveHighWaterMark">Messages queued here before the publisher drops for this subscriber (0 = no limit).</param>
    public EventSubscriber(ZmqContext context, string connectAddress, int receiveHighWaterMark, params string[] topics)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(topics);
        _socket = context.CreateSocket(ZmqSocketType.Sub);
        try
        {
            _socket.ReceiveHighWaterMark = receiveHighWaterMark;
            if (topics.Length == 0) _socket.Subscribe("");
            foreach (var topic in topics) _socket.Subscribe(topic);
            _socket.Connect(connectAddress);
        }
        catch
        {
            _socket.Dispose();
            _topicFrame.Dispose();
            _payloadFrame.Dispose();
            throw;
        }
        Address = connectAddress;
    }

    public string Address { get; }

    /// <summary>Messages delivered.</summary>
    public long Received { get; private set; }

    /// <summary>Messages known lost from gaps in <c>tseq</c> (or in <c>seq</c>, for messages without <c>tseq</c>).</summary>
    public long Missed { get; private set; }

    /// <summary>Times a topic's <c>tseq</c> (or the <c>seq</c> of messages without it) went back: publisher restarts.</summary>
    public long Resets { get; private set; }

    /// <summary>Messages skipped because they did not decode.</summary>
    public long Malformed { get; private set; }

    /// <summary>Why the latest malformed message was rejected (topic, frame count or decoder error with offset).</summary>
    public string? LastMalformed { get; private set; }

    /// <summary>The latest reset, e.g. "topic 'evt': tseq went from 1200 to 1".</summary>
    public string? LastReset { get; private set; }

    /// <summary>True once the context was terminated; no message will arrive any more.</summary>
    public bool ContextTerminated => _socket.ContextTerminated;

    /// <summary>
    /// Waits at most <paramref name="timeout"/> for the next well-formed message. The payload is copied once,
    /// from libzmq's buffer into an array owned by the message.
    /// </summary>
    public bool TryReceive(TimeSpan timeout, out ReceivedMessage message)
    {
        long deadline = Timeouts.Deadline(timeout, nameof(timeout));
        while (true)
        {
            long remaining = Timeouts.Remaining(deadline);
            var wait = remaining < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(remaining);
            if (!_socket.TryReceive(_topicFrame, wait))
            {
                message = default;
                return false;
            }
            if (TryAccept(out message)) return true;
        }
    }

    private bool TryAccept(out ReceivedMessage message)
    {
        message = default;
        string topic = TopicOf(_topicFrame.Data);
        if (!_topicFrame.More)
            return Reject($"topic '{topic}': a single frame; expected two (topic, MessagePack map)");
        // The rest of a multipart message has arrived with its first frame.
        if (!_socket.TryReceive(_payloadFrame, dontWait: true))
            return Reject($"topic '{topic}': the payload frame is missing");
        if (_payloadFrame.More)
        {
            int frames = 2;
            while (_payloadFrame.More && _socket.TryReceive(_payloadFrame, dontWait: true)) frames++;
            return Reject($"topic '{topic}': {frames} frames; expected two (topic, MessagePack map)");
        }

        byte[] payload = _payloadFrame.ToArray();
        Envelope envelope;
        try
        {
            envelope = ReadEnvelope(payload);
        }
        catch (FormatException e) // MessagePackFormatException, with the offset
        {
            return Reject($"topic '{topic}': payload of {payload.Length} bytes does not decode: {e.Message}");
        }

        var observed = envelope.TopicSequence is { } tseq
            ? _topicSequences.Observe(topic, tseq)
            : _publisherSequence.Observe(AllTopics, envelope.Sequence);
        if (observed.Reset)
        {
            Resets++;
            LastReset = envelope.TopicSequence is { } restarted
                ? $"topic '{topic}': tseq went from {observed.Previous} to {restarted} (publisher restarted)"
                : $"topic '{topic}': seq went from {observed.Previous} to {envelope.Sequence} (publisher restarted)";
        }
        Missed = observed.Missed > (ulong)(long.MaxValue - Missed) ? long.MaxValue : Missed + (long)observed.Missed;
        Received++;
        message = new ReceivedMessage(topic, payload, envelope.Version, envelope.Sequence, envelope.TopicSequence, observed.Missed, observed.Reset);
        return true;
    }

    private bool Reject(string reason)
    {
        Malformed++;
        LastMalformed = reason;
        return false;
    }

    /// <summary>The one stream of <c>seq</c> numbers of messages without <c>tseq</c>, whatever their topic.</summary>
    private const string AllTopics = "";

    private readonly record struct Envelope(long Version, ulong Sequence, ulong? TopicSequence);

    /// <summary>
    /// Walks the whole top-level map (values are skipped, not decoded, so this is cheap even for 80 kB of samples)
    /// and returns its <c>v</c>, <c>seq</c> and <c>tseq</c> (null when absent).
    /// </summary>
    private static Envelope ReadEnvelope(ReadOnlySpan<byte> payload)
    {
        var reader = new MessagePackReader(payload);
        if (reader.End || reader.NextType != MessagePackType.Map)
            throw new MessagePackFormatException(0, "the payload is not a MessagePack map");
        int keys = reader.ReadMapHeader();
        long? version = null;
        ulong? sequence = null, topicSequence = null;
        for (int i = 0; i < keys; i++)
        {
            if (reader.NextType != MessagePackType.String)
                throw new MessagePackFormatException(reader.Position, "map key is not a str");
            var key = reader.ReadStringUtf8();
            if (key.SequenceEqual("seq"u8)) sequence = ReadUnsigned(ref reader, "seq");
            else if (key.SequenceEqual("tseq"u8)) topicSequence = ReadUnsigned(ref reader, "tseq");
            else if (key.SequenceEqual("v"u8)) version = reader.ReadInt64();
            else reader.Skip();
        }
        if (!reader.End)
            throw new MessagePackFormatException(reader.Position, $"{reader.Remaining} unexpected bytes after the map");
        if (sequence is null) throw new MessagePackFormatException(0, "map lacks the required key 'seq'");
        if (version is null) throw new MessagePackFormatException(0, "map lacks the required key 'v'");
        return new Envelope(version.Value, sequence.Value, topicSequence);
    }

    /// <summary>An unsigned envelope number; the error names the key.</summary>
    private static ulong ReadUnsigned(ref MessagePackReader reader, string key)
    {
        try
        {
            return reader.ReadUInt64();
        }
        catch (MessagePackFormatException e)
        {
            throw new MessagePackFormatException(e.Offset, $"key '{key}': {e.Reason}");
        }
    }

    /// <summary>The known topics come back as their constants, so receiving them does not allocate a string.</summary>
    private static string TopicOf(ReadOnlySpan<byte> frame)
    {
        foreach (var known in Topics.All)
            if (frame.Length == known.Length && Matches(frame, known))
                return known;
        return System.Text.Encoding.UTF8.GetString(frame);
    }

    /// <summary>Byte-wise comparison with an ASCII constant.</summary>
    private static bool Matches(ReadOnlySpan<byte> frame, string ascii)
    {
        for (int i = 0; i < frame.Length; i++)
            if (frame[i] != ascii[i]) return false;
        return true;
    }

    public void Dispose()
    {
        _socket.Dispose();
        _topicFrame.Dispose();
        _payloadFrame.Dispose();
    }
}
