using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Events;

/// <summary>The <c>sc</c> map: one slow-control reading (magnet current, jaw position, HV, temperature, …).</summary>
public sealed record SlowControlMessage
{
    public const string Topic = Topics.SlowControl;

    /// <summary><c>t_ns</c>: host UTC time of the reading, ns since the Unix epoch.</summary>
    public required long TimeNs { get; init; }
    /// <summary><c>device</c>: the device read (e.g. <c>magnet</c>, <c>collimator</c>).</summary>
    public required string Device { get; init; }
    /// <summary><c>quantity</c>: what was read (e.g. <c>current</c>, <c>jaw_left</c>).</summary>
    public required string Quantity { get; init; }
    /// <summary><c>value</c>: the reading, in <see cref="Unit"/>.</summary>
    public required double Value { get; init; }
    /// <summary><c>unit</c>: e.g. <c>A</c>, <c>mm</c>, <c>V</c>, <c>degC</c>.</summary>
    public required string Unit { get; init; }
    /// <summary>Undocumented keys, kept as they came.</summary>
    public IReadOnlyDictionary<string, object?> Extras { get; init; } = MapFields.Empty;

    private static readonly string[] Keys = ["t_ns", "device", "quantity", "value", "unit"];

    public Dictionary<string, object?> ToMap() => MapFields.WithExtras(Topic, new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["t_ns"] = TimeNs,
        ["device"] = Device,
        ["quantity"] = Quantity,
        ["value"] = Value,
        ["unit"] = Unit,
    }, Extras);

    public static SlowControlMessage FromMap(IReadOnlyDictionary<string, object?> map)
    {
        var f = new MapFields(Topic, map);
        return new SlowControlMessage
        {
            TimeNs = f.Int64("t_ns"),
            Device = f.String("device"),
            Quantity = f.String("quantity"),
            Value = f.Double("value"),
            Unit = f.String("unit"),
            Extras = f.Extras(Keys),
        };
    }

    /// <summary>Appends the message with its envelope (<c>v</c>, <c>seq</c>, <c>tseq</c>) to <paramref name="writer"/>.</summary>
    public void Encode(ulong seq, ulong tseq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, tseq, writer);

    /// <summary>Appends the message with <c>v</c> and <c>seq</c> only, as a sender that keeps no per-topic count.</summary>
    public void Encode(ulong seq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, writer);
}
