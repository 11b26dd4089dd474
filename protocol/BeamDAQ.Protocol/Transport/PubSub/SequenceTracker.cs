namespace BeamDAQ.Protocol.Transport;

/// <summary>
/// Follows the sequence numbers of each stream (a topic's <c>tseq</c> from the one publisher a subscriber is
/// connected to, or that publisher's <c>seq</c> over all topics) and turns what arrives into gaps and resets. ZeroMQ keeps a connection's messages in order, so a number at or
/// below the last one can only mean that the publisher restarted and counts again from 1 — a reset, not a
/// gap of nearly 2^64. Messages lost while the publisher restarts cannot be told apart and are not counted.
/// </summary>
internal sealed class SequenceTracker
{
    private readonly Dictionary<string, ulong> _last = new(StringComparer.Ordinal);

    internal SequenceObservation Observe(string stream, ulong sequence)
    {
        if (!_last.TryGetValue(stream, out ulong last))
        {
            // Whatever came before the first message we see was sent before we were listening.
            _last.Add(stream, sequence);
            return new SequenceObservation(0, Reset: false, Previous: null);
        }
        _last[stream] = sequence;
        if (sequence > last) return new SequenceObservation(sequence - last - 1, Reset: false, Previous: last);
        return new SequenceObservation(0, Reset: true, Previous: last);
    }
}

/// <param name="Missed">Messages of the stream skipped right before this one.</param>
/// <param name="Reset">The sequence went back: the publisher restarted.</param>
/// <param name="Previous">The stream's previous sequence number; null for its first message.</param>
internal readonly record struct SequenceObservation(ulong Missed, bool Reset, ulong? Previous);
