namespace BeamDAQ.Daq.Acquisition.Publishing;

/// <summary>
/// The numbers every message the front end sends carries (DESIGN §4), as <see cref="BeamDAQ.Protocol.Transport.EventPublisher"/>
/// counts them: <c>seq</c>, one count over all topics from 1, and <c>tseq</c>, a count per topic from 1, both over the
/// life of the publisher. They are stamped when the message is encoded, before it goes to the run file, so the file
/// and the wire carry the same bytes; a message the publication queue has to drop keeps its numbers and subscribers
/// see the gap.
/// </summary>
/// <remarks>Thread-safe. A lookup in a dictionary of a handful of topics: no allocation per message.</remarks>
internal sealed class MessageSequencer
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ulong> _topics = new(StringComparer.Ordinal);
    private ulong _sequence;

    /// <summary>
    /// The numbers the next message of <paramref name="topic"/> gets, not yet taken: a message that cannot be encoded
    /// or recorded leaves no gap. The caller serialises <see cref="Peek"/> and <see cref="Take"/> (the outlet's lock).
    /// </summary>
    public MessageStamp Peek(string topic)
    {
        lock (_gate) return new MessageStamp(_sequence + 1, _topics.GetValueOrDefault(topic) + 1);
    }

    /// <summary>Takes the numbers <see cref="Peek"/> gave for <paramref name="topic"/>: the message was recorded or sent (or dropped on the way).</summary>
    public void Take(string topic)
    {
        lock (_gate)
        {
            _sequence++;
            System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_topics, topic, out _)++;
        }
    }

    /// <summary>The last <c>seq</c> stamped (0 before the first).</summary>
    public ulong Last
    {
        get { lock (_gate) return _sequence; }
    }

    /// <summary>The last <c>tseq</c> stamped on <paramref name="topic"/> (0 before the first).</summary>
    public ulong LastOf(string topic)
    {
        lock (_gate) return _topics.GetValueOrDefault(topic);
    }
}

/// <summary>A message's <c>seq</c> (the publisher's count of all its messages) and <c>tseq</c> (its count of the message's topic).</summary>
internal readonly record struct MessageStamp(ulong Sequence, ulong TopicSequence);
