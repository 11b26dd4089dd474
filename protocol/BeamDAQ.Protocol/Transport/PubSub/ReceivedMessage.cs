namespace BeamDAQ.Protocol.Transport;

/// <summary>One message delivered by <see cref="EventSubscriber"/>.</summary>
public readonly struct ReceivedMessage
{
    internal ReceivedMessage(string topic, ReadOnlyMemory<byte> payload, long version, ulong sequence, ulong? topicSequence, ulong missedBefore, bool sequenceReset)
    {
        Topic = topic;
        Payload = payload;
        Version = version;
        Sequence = sequence;
        TopicSequence = topicSequence;
        MissedBefore = missedBefore;
        SequenceReset = sequenceReset;
    }

    /// <summary>The first frame, e.g. <c>evt</c>.</summary>
    public string Topic { get; }

    /// <summary>The MessagePack map; an array of its own, so it (and slices decoded from it) may be kept.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The map's <c>v</c>.</summary>
    public long Version { get; }

    /// <summary>The map's <c>seq</c>: the publisher's number of this message among all it sent.</summary>
    public ulong Sequence { get; }

    /// <summary>The map's <c>tseq</c>: the publisher's number of this message among those of its topic; null when the publisher sends none.</summary>
    public ulong? TopicSequence { get; }

    /// <summary>
    /// Messages lost just before this one (already added to <see cref="EventSubscriber.Missed"/>): of this topic when
    /// counted from <see cref="TopicSequence"/>; of any topic when the publisher sends no <c>tseq</c> and the count
    /// comes from <see cref="Sequence"/>.
    /// </summary>
    public ulong MissedBefore { get; }

    /// <summary>The sequence went back: the publisher restarted (counted in <see cref="EventSubscriber.Resets"/>).</summary>
    public bool SequenceReset { get; }
}
