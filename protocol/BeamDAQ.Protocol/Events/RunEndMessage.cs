using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Events;

/// <summary>The <c>run.end</c> map (DESIGN §4): the last record of a cleanly ended run file.</summary>
public sealed record RunEndMessage
{
    public const string Topic = Topics.RunEnd;

    /// <summary><c>run</c>: the run number.</summary>
    public required uint Run { get; init; }
    /// <summary><c>t_ns</c>: host UTC time of the end, ns since the Unix epoch.</summary>
    public required long TimeNs { get; init; }
    /// <summary><c>events</c>: events recorded in the run.</summary>
    public required ulong Events { get; init; }
    /// <summary><c>missed</c>: triggers the digitizer missed (dead time, overflow).</summary>
    public required ulong Missed { get; init; }
    /// <summary><c>reason</c>: why the run ended (operator stop, event limit, device lost, …).</summary>
    public required string Reason { get; init; }
    /// <summary>Further keys, e.g. <c>gaps</c> (device-loss intervals); kept as they came.</summary>
    public IReadOnlyDictionary<string, object?> Extras { get; init; } = MapFields.Empty;

    private static readonly string[] Keys = ["run", "t_ns", "events", "missed", "reason"];

    public Dictionary<string, object?> ToMap() => MapFields.WithExtras(Topic, new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["run"] = Run,
        ["t_ns"] = TimeNs,
        ["events"] = Events,
        ["missed"] = Missed,
        ["reason"] = Reason,
    }, Extras);

    public static RunEndMessage FromMap(IReadOnlyDictionary<string, object?> map)
    {
        var f = new MapFields(Topic, map);
        return new RunEndMessage
        {
            Run = f.UInt32("run"),
            TimeNs = f.Int64("t_ns"),
            Events = f.UInt64("events"),
            Missed = f.UInt64("missed"),
            Reason = f.String("reason"),
            Extras = f.Extras(Keys),
        };
    }

    /// <summary>Appends the message with its envelope (<c>v</c>, <c>seq</c>, <c>tseq</c>) to <paramref name="writer"/>.</summary>
    public void Encode(ulong seq, ulong tseq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, tseq, writer);

    /// <summary>Appends the message with <c>v</c> and <c>seq</c> only, as a sender that keeps no per-topic count.</summary>
    public void Encode(ulong seq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, writer);
}
