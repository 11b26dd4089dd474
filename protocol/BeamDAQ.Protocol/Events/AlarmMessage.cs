using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Events;

/// <summary>The <c>alarm</c> map: something an operator must see (device lost, limit exceeded, …).</summary>
public sealed record AlarmMessage
{
    public const string Topic = Topics.Alarm;

    /// <summary><c>t_ns</c>: host UTC time, ns since the Unix epoch.</summary>
    public required long TimeNs { get; init; }
    /// <summary><c>source</c>: the program or device that raised it (e.g. <c>daq</c>, <c>magnet</c>).</summary>
    public required string Source { get; init; }
    /// <summary><c>severity</c>: <c>info</c>, <c>warning</c>, <c>error</c> or <c>critical</c>.</summary>
    public required AlarmSeverity Severity { get; init; }
    /// <summary><c>code</c>: a stable machine-readable name (e.g. <c>device-lost</c>).</summary>
    public required string Code { get; init; }
    /// <summary><c>message</c>: the human-readable text.</summary>
    public required string Message { get; init; }
    /// <summary>Undocumented keys, kept as they came.</summary>
    public IReadOnlyDictionary<string, object?> Extras { get; init; } = MapFields.Empty;

    private static readonly string[] Keys = ["t_ns", "source", "severity", "code", "message"];

    public Dictionary<string, object?> ToMap() => MapFields.WithExtras(Topic, new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["t_ns"] = TimeNs,
        ["source"] = Source,
        ["severity"] = Severity.ToWire(),
        ["code"] = Code,
        ["message"] = Message,
    }, Extras);

    public static AlarmMessage FromMap(IReadOnlyDictionary<string, object?> map)
    {
        var f = new MapFields(Topic, map);
        string severity = f.String("severity");
        if (!AlarmSeverityNames.TryParse(severity, out var parsed))
            throw new FormatException($"{Topic} map: key 'severity' = \"{severity}\"; allowed: info, warning, error, critical");
        return new AlarmMessage
        {
            TimeNs = f.Int64("t_ns"),
            Source = f.String("source"),
            Severity = parsed,
            Code = f.String("code"),
            Message = f.String("message"),
            Extras = f.Extras(Keys),
        };
    }

    /// <summary>Appends the message with its envelope (<c>v</c>, <c>seq</c>, <c>tseq</c>) to <paramref name="writer"/>.</summary>
    public void Encode(ulong seq, ulong tseq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, tseq, writer);

    /// <summary>Appends the message with <c>v</c> and <c>seq</c> only, as a sender that keeps no per-topic count.</summary>
    public void Encode(ulong seq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, writer);
}
