using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Daq.Acquisition.Publishing;

/// <summary>
/// The one way out for everything the front end says (DESIGN §1, §4): stamp the topic's <c>seq</c>, encode once
/// into a reusable buffer, append those bytes to the run file when the message belongs to the run — the record
/// payload IS the wire payload — and only then hand the same buffer to the publisher thread. Recording never
/// waits for publishing: a full queue loses a publication (counted), never a record.
/// </summary>
/// <remarks>
/// Map messages (run.begin, run.end, alarm, daq.status) may come from any thread and are serialised here, so per
/// topic the wire order is the <c>seq</c> order. <c>evt</c> comes from the acquisition thread only, through
/// <see cref="BeginEvent"/> / <see cref="CompleteEvent"/>, which encode into a slot without any allocation.
/// </remarks>
internal sealed class MessageOutlet
{
    private readonly Lock _mapGate = new();
    private readonly MessagePackWriter _mapScratch = new(1024);
    private readonly Func<long> _socketRefused;

    /// <param name="socketRefused">Messages the socket refused (the publisher thread's count), for <see cref="Dropped"/>.</param>
    public MessageOutlet(PublicationQueue queue, TopicSequencer sequences, Func<long>? socketRefused = null)
    {
        Queue = queue;
        Sequences = sequences;
        _socketRefused = socketRefused ?? (() => 0);
    }

    public PublicationQueue Queue { get; }

    public TopicSequencer Sequences { get; }

    /// <summary>Publications lost: dropped by the queue's policy plus refused by the socket (daq.status and run.end <c>dropped</c>).</summary>
    public long Dropped => Queue.Dropped + _socketRefused();

    /// <summary>
    /// Sends a map message with <c>{v, seq}</c>; when <paramref name="record"/> is given, the same bytes are first
    /// appended to it. A failure to record (a full disk) is thrown and nothing is published.
    /// </summary>
    public void Send(string topic, IDictionary<string, object?> map, RunFileWriter? record = null)
    {
        lock (_mapGate)
        {
            ulong seq = Sequences.Next(topic);
            bool queued = Queue.TryRent(out var slot);
            var writer = queued ? slot.Writer : _mapScratch;
            writer.Reset();
            MapMessage.Encode(topic, map, seq, writer);
            if (record is not null)
            {
                try
                {
                    record.Append(topic, writer.WrittenSpan);
                }
                catch
                {
                    if (queued) Queue.Release(slot);
                    throw;
                }
            }
            if (queued) Queue.Commit(slot, topic);
        }
    }

    /// <summary>
    /// Starts an <c>evt</c>: its sequence number and the buffer to encode it into — a queue slot, or
    /// <paramref name="scratch"/> when the queue is full under drop-newest (then it is recorded, not published).
    /// </summary>
    public OutgoingEvent BeginEvent(MessagePackWriter scratch)
    {
        ulong seq = Sequences.Next(Topics.Event);
        if (Queue.TryRent(out var slot))
        {
            slot.Writer.Reset();
            return new OutgoingEvent(seq, slot.Writer, slot);
        }
        scratch.Reset();
        return new OutgoingEvent(seq, scratch, null);
    }

    /// <summary>Publishes an encoded <c>evt</c> (after it was recorded).</summary>
    public void CompleteEvent(in OutgoingEvent e)
    {
        if (e.Slot is { } slot) Queue.Commit(slot, Topics.Event);
    }

    /// <summary>Drops an encoded <c>evt</c> that could not be recorded.</summary>
    public void AbandonEvent(in OutgoingEvent e)
    {
        if (e.Slot is { } slot) Queue.Release(slot);
    }
}

/// <summary>An <c>evt</c> being encoded: its <c>seq</c>, the buffer, and the queue slot it will be published from (null: not published).</summary>
internal readonly struct OutgoingEvent(ulong sequence, MessagePackWriter writer, PublicationQueue.Slot? slot)
{
    public ulong Sequence { get; } = sequence;
    public MessagePackWriter Writer { get; } = writer;
    public PublicationQueue.Slot? Slot { get; } = slot;
}
