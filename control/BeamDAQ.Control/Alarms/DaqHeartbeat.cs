using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Alarms;

/// <summary>What the alarm rules need from the daq's 1 Hz <c>daq.status</c> heartbeat.</summary>
public readonly record struct DaqHeartbeat(DateTimeOffset Time, bool Running, uint? Run, ulong Triggers)
{
    /// <summary>
    /// From a decoded heartbeat: running when the state says so; triggers = recorded + missed events, since a
    /// missed trigger is still a trigger. <paramref name="receivedAt"/> is used when the map has no t_ns.
    /// </summary>
    public static DaqHeartbeat FromStatus(DaqStatusMessage status, DateTimeOffset receivedAt) => new(
        status.TimeNs is long ns ? DateTimeOffset.UnixEpoch.AddTicks(ns / 100) : receivedAt,
        string.Equals(status.State, "Running", StringComparison.OrdinalIgnoreCase),
        status.Run,
        status.Events + status.Missed);
}
