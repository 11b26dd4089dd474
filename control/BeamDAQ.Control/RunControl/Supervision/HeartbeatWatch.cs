using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.RunControl.Supervision;

/// <summary>
/// Remembers the front end's latest <c>daq.status</c> heartbeat and says when it has been silent too long. Time is
/// the receiver's (the control node's clock), never the heartbeat's own t_ns: two hosts' clocks may disagree.
/// </summary>
/// <remarks>Not thread-safe: the run controller serialises every call.</remarks>
public sealed class HeartbeatWatch(TimeSpan timeout)
{
    public TimeSpan Timeout { get; } = timeout > TimeSpan.Zero ? timeout
        : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "the heartbeat time-out must be positive");

    /// <summary>The latest heartbeat, or null before the first.</summary>
    public DaqStatusMessage? Latest { get; private set; }

    /// <summary>When the latest heartbeat arrived (control node's clock).</summary>
    public DateTimeOffset? LatestAt { get; private set; }

    /// <summary>The reference point of the silence check: the latest heartbeat, or when watching (re)started.</summary>
    private DateTimeOffset _reference;

    public long Received { get; private set; }

    public void Observe(DaqStatusMessage status, DateTimeOffset receivedAt)
    {
        Latest = status;
        LatestAt = receivedAt;
        _reference = receivedAt;
        Received++;
    }

    /// <summary>
    /// Starts (or restarts) the silence clock at <paramref name="now"/> without a heartbeat: when a run starts, and
    /// after a ping showed the front end alive although its heartbeats are missing.
    /// </summary>
    public void Rearm(DateTimeOffset now) => _reference = now;

    /// <summary>How long nothing was heard, measured from the later of the last heartbeat and the last rearm.</summary>
    public TimeSpan SilenceAt(DateTimeOffset now) => now - _reference;

    public bool IsSilentAt(DateTimeOffset now) => SilenceAt(now) > Timeout;

    /// <summary>The age of the latest heartbeat, or null if none arrived.</summary>
    public TimeSpan? AgeAt(DateTimeOffset now) => LatestAt is { } at ? now - at : null;
}
