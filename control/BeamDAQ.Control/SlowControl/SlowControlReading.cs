namespace BeamDAQ.Control.SlowControl;

/// <summary>
/// One slow-control value as the control node stores it and publishes it on the <c>sc</c> topic: which
/// device, which quantity (e.g. "current", "temperature.diamond", "exit.aperture_x"), value, unit, UTC time.
/// </summary>
public readonly record struct SlowControlReading(string Device, string Quantity, double Value, string Unit, DateTimeOffset Time)
{
    public override string ToString() => $"{Device}.{Quantity} = {Value:G6} {Unit} at {Time:HH:mm:ss.fff}";
}

/// <summary>A device went from answering to lost or back (raised once per transition, never per sample).</summary>
public readonly record struct DeviceStateChange(string Device, bool Online, string Problem, DateTimeOffset Time);

/// <summary>Receives the poller's output; called from one thread at a time.</summary>
public interface ISlowControlObserver
{
    void OnReading(SlowControlReading reading);

    void OnDeviceState(DeviceStateChange change);
}
