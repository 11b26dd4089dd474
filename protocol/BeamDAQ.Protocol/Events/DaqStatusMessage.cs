using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Events;

/// <summary>The <c>daq.status</c> map: the front end's 1 Hz heartbeat.</summary>
public sealed record DaqStatusMessage
{
    public const string Topic = Topics.DaqStatus;

    /// <summary><c>state</c>: the front end's run state (e.g. <c>Idle</c>, <c>Running</c>).</summary>
    public required string State { get; init; }
    /// <summary><c>run</c>: the current run number; nil when no run is active.</summary>
    public required uint? Run { get; init; }
    /// <summary><c>trigger_rate_hz</c>: recorded triggers per second over the last interval.</summary>
    public required double TriggerRateHz { get; init; }
    /// <summary><c>events</c>: events recorded in the current run.</summary>
    public required ulong Events { get; init; }
    /// <summary><c>missed</c>: triggers missed in the current run.</summary>
    public required ulong Missed { get; init; }
    /// <summary><c>dead_time_fraction</c>: 0–1.</summary>
    public required double DeadTimeFraction { get; init; }
    /// <summary><c>bytes_written</c>: size of the run file so far.</summary>
    public required long BytesWritten { get; init; }
    /// <summary><c>device_state</c>: the digitizer's state (e.g. <c>ok</c>, <c>lost</c>).</summary>
    public required string DeviceState { get; init; }
    /// <summary><c>dropped</c>: messages the publisher dropped rather than block acquisition.</summary>
    public required ulong Dropped { get; init; }
    /// <summary><c>t_ns</c> (optional): host UTC time of the heartbeat, ns since the Unix epoch.</summary>
    public long? TimeNs { get; init; }
    /// <summary>Undocumented keys, kept as they came.</summary>
    public IReadOnlyDictionary<string, object?> Extras { get; init; } = MapFields.Empty;

    private static readonly string[] Keys =
        ["state", "run", "trigger_rate_hz", "events", "missed", "dead_time_fraction", "bytes_written", "device_state", "dropped", "t_ns"];

    public Dictionary<string, object?> ToMap()
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["state"] = State,
            ["run"] = Run,
            ["trigger_rate_hz"] = TriggerRateHz,
            ["events"] = Events,
            ["missed"] = Missed,
            ["dead_time_fraction"] = DeadTimeFraction,
            ["bytes_written"] = BytesWritten,
            ["device_state"] = DeviceState,
            ["dropped"] = Dropped,
        };
        MapFields.AddOptional(map, "t_ns", TimeNs);
        return MapFields.WithExtras(Topic, map, Extras);
    }

    public static DaqStatusMessage FromMap(IReadOnlyDictionary<string, object?> map)
    {
        var f = new MapFields(Topic, map);
        long bytesWritten = f.Int64("bytes_written");
        if (bytesWritten < 0)
            throw new FormatException($"{Topic} map: key 'bytes_written' = {bytesWritten}; allowed: a non-negative integer");
        return new DaqStatusMessage
        {
            State = f.String("state"),
            Run = f.OptionalUInt32("run"),
            TriggerRateHz = f.Double("trigger_rate_hz"),
            Events = f.UInt64("events"),
            Missed = f.UInt64("missed"),
            DeadTimeFraction = f.Double("dead_time_fraction"),
            BytesWritten = bytesWritten,
            DeviceState = f.String("device_state"),
            Dropped = f.UInt64("dropped"),
            TimeNs = f.OptionalInt64("t_ns"),
            Extras = f.Extras(Keys),
        };
    }

    /// <summary>Appends the message with its envelope (<c>v</c>, <c>seq</c>, <c>tseq</c>) to <paramref name="writer"/>.</summary>
    public void Encode(ulong seq, ulong tseq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, tseq, writer);

    /// <summary>Appends the message with <c>v</c> and <c>seq</c> only, as a sender that keeps no per-topic count.</summary>
    public void Encode(ulong seq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, writer);
}
