using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.SlowControl;

public static class SlowControlMessages
{
    /// <summary>The <c>sc</c> topic's map for a reading.</summary>
    public static SlowControlMessage ToMessage(this SlowControlReading reading) => new()
    {
        TimeNs = (reading.Time - DateTimeOffset.UnixEpoch).Ticks * 100,
        Device = reading.Device,
        Quantity = reading.Quantity,
        Value = reading.Value,
        Unit = reading.Unit,
    };
}
