namespace BeamDAQ.Daq.Acquisition;

/// <summary>The digitizer's state as <c>daq.status</c> and run control's <c>status</c> report it (<c>device_state</c>).</summary>
public enum DeviceState
{
    /// <summary>No digitizer open (before <c>configure</c>, after <c>reset</c> or a failed recovery).</summary>
    Closed,
    /// <summary>Open and configured.</summary>
    Ok,
    /// <summary>
    /// Off the bus, being reopened — and, once reopened and verified, until the first event after the gap closes it
    /// with its count of missed triggers (at most one bunch later), so a listener sees the count and "ok" together.
    /// </summary>
    Lost,
}

public static class DeviceStateNames
{
    public static string ToWire(this DeviceState state) => state switch
    {
        DeviceState.Ok => "ok",
        DeviceState.Lost => "lost",
        _ => "closed",
    };
}
