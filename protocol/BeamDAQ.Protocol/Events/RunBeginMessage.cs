using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Events;

/// <summary>The <c>run.begin</c> map (DESIGN §4): the first record of every run file.</summary>
public sealed record RunBeginMessage
{
    public const string Topic = Topics.RunBegin;

    /// <summary><c>run</c>: the run number.</summary>
    public required uint Run { get; init; }
    /// <summary><c>t_ns</c>: host UTC time of the start, ns since the Unix epoch.</summary>
    public required long TimeNs { get; init; }
    /// <summary><c>config</c>: the full configuration as a map.</summary>
    public required IReadOnlyDictionary<string, object?> Config { get; init; }
    /// <summary><c>applied</c>: the digitizer settings as actually applied.</summary>
    public required IReadOnlyDictionary<string, object?> Applied { get; init; }
    /// <summary><c>software</c>: the version string of the program that recorded the run.</summary>
    public required string Software { get; init; }
    /// <summary><c>meta</c>: run metadata (operator, comment, beam, …).</summary>
    public required IReadOnlyDictionary<string, object?> Meta { get; init; }
    /// <summary>Undocumented keys, kept as they came.</summary>
    public IReadOnlyDictionary<string, object?> Extras { get; init; } = MapFields.Empty;

    private static readonly string[] Keys = ["run", "t_ns", "config", "applied", "software", "meta"];

    public Dictionary<string, object?> ToMap() => MapFields.WithExtras(Topic, new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["run"] = Run,
        ["t_ns"] = TimeNs,
        ["config"] = Config,
        ["applied"] = Applied,
        ["software"] = Software,
        ["meta"] = Meta,
    }, Extras);

    public static RunBeginMessage FromMap(IReadOnlyDictionary<string, object?> map)
    {
        var f = new MapFields(Topic, map);
        return new RunBeginMessage
        {
            Run = f.UInt32("run"),
            TimeNs = f.Int64("t_ns"),
            Config = f.Map("config"),
            Applied = f.Map("applied"),
            Software = f.String("software"),
            Meta = f.Map("meta"),
            Extras = f.Extras(Keys),
        };
    }

    /// <summary>Appends the message with its envelope (<c>v</c>, <c>seq</c>, <c>tseq</c>) to <paramref name="writer"/>.</summary>
    public void Encode(ulong seq, ulong tseq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, tseq, writer);

    /// <summary>Appends the message with <c>v</c> and <c>seq</c> only, as a sender that keeps no per-topic count.</summary>
    public void Encode(ulong seq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, writer);
}
