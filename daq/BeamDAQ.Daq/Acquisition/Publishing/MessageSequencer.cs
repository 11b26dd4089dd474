namespace BeamDAQ.Daq.Acquisition.Publishing;

/// <summary>
/// The <c>seq</c> of every message the front end sends, counted per topic from 1 over the life of its publisher
/// (as <see cref="BeamDAQ.Protocol.Transport.EventPublisher"/> counts). The number is stamped when the message is
/// encoded, before it goes to the run file, so the file and the wire carry the same bytes; a message the
/// publication queue has to drop keeps its number and subscribers see the gap.
/// </summary>
/// <remarks>Thread-safe. A lookup in a dictionary of a handful of topics: no allocation per message.</remarks>
internal sealed class TopicSequencer
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ulong> _last = new(StringComparer.Ordinal);

    /// <summary>The next sequence number of <paramref name="topic"/>.</summary>
    public ulong Next(string topic)
    {
        lock (_gate)
        {
            ref ulong last = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_last, topic, out _);
            return ++last;
        }
    }

    /// <summary>The last number stamped on <paramref name="topic"/> (0 before the first).</summary>
    public ulong Last(string topic)
    {
        lock (_gate) return _last.GetValueOrDefault(topic);
    }
}
