using BeamDAQ.Control.RunControl.Server;

namespace BeamDAQ.Control.RunControl.Daq;

/// <summary>
/// The front end's <c>status</c> reply (docs/run-control.md): state, run, counters, file and device state. Keys
/// the daq does not send stay null; a key of the wrong type is a format error naming it.
/// </summary>
public sealed record DaqStatusReply
{
    public required string State { get; init; }
    public long? Run { get; init; }
    public long? Events { get; init; }
    public long? Missed { get; init; }
    public double? DeadTimeFraction { get; init; }
    public long? BytesWritten { get; init; }
    public string? File { get; init; }
    public string? DeviceState { get; init; }
    public string? Error { get; init; }

    public bool IsRunning => string.Equals(State, "Running", StringComparison.OrdinalIgnoreCase);
    public bool IsError => string.Equals(State, "Error", StringComparison.OrdinalIgnoreCase);
    public bool IsConfigured => string.Equals(State, "Configured", StringComparison.OrdinalIgnoreCase);

    public static DaqStatusReply FromMap(IReadOnlyDictionary<string, object?> map)
    {
        var f = new RequestFields("daq status reply", map);
        return new DaqStatusReply
        {
            State = f.OptionalString("state") ?? throw new FormatException("daq status reply: key 'state' is missing"),
            Run = f.OptionalInteger("run"),
            Events = f.OptionalInteger("events"),
            Missed = f.OptionalInteger("missed"),
            DeadTimeFraction = f.OptionalNumber("dead_time_fraction"),
            BytesWritten = f.OptionalInteger("bytes_written"),
            File = f.OptionalString("file"),
            DeviceState = f.OptionalString("device_state"),
            Error = f.OptionalString("error"),
        };
    }
}
