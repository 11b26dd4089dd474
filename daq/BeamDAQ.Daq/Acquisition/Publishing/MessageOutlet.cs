using System.Diagnostics;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.MessagePack;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Daq.Acquisition.Publishing;

/// <summary>
/// The one way out for everything the front end says (DESIGN §1, §4): stamp <c>seq</c> and the topic's <c>tseq</c>,
/// encode once into a reusable buffer, append those bytes to the run file when the message belongs to the run — the
/// record payload IS the wire payload — and only then hand the same buffer to the publisher thread. Recording never
/// waits for publishing: a full queue loses a publication (counted), never a record.
/// </summary>
/// <remarks>
/// Map messages (run.begin, run.end, alarm, daq.status) may come from any thread; <c>evt</c> comes from the
/// acquisition thread only, through <see cref="BeginEvent"/> / <see cref="CompleteEvent"/>, which encode into a slot
/// without any allocation. One lock covers a message from its stamp to its hand-over — for an <c>evt</c>, from
/// <see cref="BeginEvent"/> to <see cref="CompleteEvent"/> or <see cref="AbandonEvent"/> — so <c>seq</c> rises by one
/// from message to message on the wire and in the run file, across topics. The price: a heartbeat may wait for the
/// one event being encoded and recorded (tens of microseconds, a buffer flush at worst), never for the publisher.
/// </remarks>
internal sealed class MessageOutlet
{
    private readonly Lock _gate = new();
    private readonly Func<long> _socketRefused;

    /// <param name="socketRefused">Messages the socket refused (the publisher thread's count), for <see cref="Dropped"/>.</param>
    public MessageOutlet(PublicationQueue queue, MessageSequencer sequences, Func<long>? socketRefused = null)
    {
        Queue = queue;
        Sequences = sequences;
        _socketRefused = socketRefused ?? (() => 0);
    }

    public PublicationQueue Queue { get; }

    public MessageSequencer Sequences { get; }

    /// <summary>Publications lost: dropped by the queue's policy plus refused by the socket (daq.status and run.end <c>dropped</c>).</summary>
    public long Dropped => Queue.Dropped + _socketRefused();

    /// <summary>
    /// Sends a map message with <c>{v, seq, tseq}</c>; when <paramref name="record"/> is given, the same bytes are first
    /// appended to it. A failure to record (a full disk) is thrown and nothing is published; the numbers are then not
    /// taken, so subscribers see no gap.
    /// </summary>
    /// <returns>The numbers the message carries.</returns>
    public MessageStamp Send(string topic, IDictionary<string, object?> map, RunFileWriter? record = null)
    {
        lock (_gate)
        {
            var stamp = Sequences.Peek(topic);
            // Map messages are rare and carry the run's boundaries: a full queue gives up a waiting evt instead.
            var slot = Queue.RentEssential();
            var writer = slot.Writer;
            writer.Reset();
            try
            {
                MapMessage.Encode(topic, map, stamp.Sequence, stamp.TopicSequence, writer);
                record?.Append(topic, writer.WrittenSpan);
            }
            catch
            {
                Queue.Release(slot);
                throw;
            }
            Sequences.Take(topic);
            Queue.Commit(slot, topic);
            return stamp;
        }
    }

    /// <summary>
    /// Starts an <c>evt</c>: its numbers and the buffer to encode it into — a queue slot, or <paramref name="scratch"/>
    /// when the queue is full under drop-newest (then it is recorded, not published). Holds the outlet's lock until
    /// <see cref="CompleteEvent"/> or <see cref="AbandonEvent"/>, which the same thread must call.
    /// </summary>
    public OutgoingEvent BeginEvent(MessagePackWriter scratch)
    {
        _gate.Enter();
        var stamp = Sequences.Peek(Topics.Event);
        if (Queue.TryRent(out var slot))
        {
            slot.Writer.Reset();
            return new OutgoingEvent(stamp, slot.Writer, slot);
        }
        scratch.Reset();
        return new OutgoingEvent(stamp, scratch, null);
    }

    /// <summary>Publishes an encoded <c>evt</c> (after it was recorded) and takes its numbers.</summary>
    public void CompleteEvent(in OutgoingEvent e)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread, "CompleteEvent follows BeginEvent on the same thread");
        try
        {
            Sequences.Take(Topics.Event);
            if (e.Slot is { } slot) Queue.Commit(slot, Topics.Event);
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Drops an encoded <c>evt</c> that could not be recorded; its numbers go to the next message.</summary>
    public void AbandonEvent(in OutgoingEvent e)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread, "AbandonEvent follows BeginEvent on the same thread");
        try
        {
            if (e.Slot is { } slot) Queue.Release(slot);
        }
        finally
        {
            _gate.Exit();
        }
    }
}

/// <summary>An <c>evt</c> being encoded: its numbers, the buffer, and the queue slot it will be published from (null: not published).</summary>
internal readonly struct OutgoingEvent(MessageStamp stamp, MessagePackWriter writer, PublicationQueue.Slot? slot)
{
    public MessageStamp Stamp { get; } = stamp;
    public MessagePackWriter Writer { get; } = writer;
    public PublicationQueue.Slot? Slot { get; } = slot;
}
