namespace BeamDAQ.Control.SlowControl.Polling;

/// <summary>A device the poller reads every interval: every quantity it has, or why it could not.</summary>
public interface IPolledDevice
{
    /// <summary>The device name in readings and alarms ("magnet", "hv", ...).</summary>
    string Name { get; }

    Task<DevicePoll> PollAsync(CancellationToken cancellationToken);
}

/// <summary>
/// One poll of one device. Online with all readings; online with some readings and a problem (the device
/// refused a query); or lost (no readings: a silent device's stale values must not be published as new).
/// </summary>
public sealed record DevicePoll(string Device, bool Online, IReadOnlyList<SlowControlReading> Readings, string Problem)
{
    public static DevicePoll Lost(string device, string problem) => new(device, false, [], problem);
}
