namespace BeamDAQ.Protocol.Transport;

/// <summary>What an <see cref="EventPublisher"/> does when a subscriber's queue (its high-water mark) is full.</summary>
public enum PublisherDropPolicy
{
    /// <summary>
    /// Only the full subscriber loses the message (libzmq drops it for that subscriber); the others still get it.
    /// The loser sees the gap in <c>seq</c> and counts it as <see cref="EventSubscriber.Missed"/>. One stalled
    /// listener can never starve the analysis, so this is the default.
    /// </summary>
    DropForFullSubscriberOnly,

    /// <summary>
    /// The message is not sent at all while any subscriber's queue is full (ZMQ_XPUB_NODROP); the publisher
    /// counts it in <see cref="EventPublisher.Dropped"/> and every subscriber sees the gap.
    /// </summary>
    DropForAllSubscribers,
}
