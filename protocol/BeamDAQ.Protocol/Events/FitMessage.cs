using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Events;

/// <summary>
/// The <c>fit</c> map: a multiplicity fit of a run (DESIGN §6). The mean multiplicity λ and its error are
/// required; everything else is optional and absent from the map when not known.
/// </summary>
public sealed record FitMessage
{
    public const string Topic = Topics.Fit;

    /// <summary><c>run</c>: the run fitted.</summary>
    public required uint Run { get; init; }
    /// <summary><c>t_ns</c>: host UTC time of the fit, ns since the Unix epoch.</summary>
    public required long TimeNs { get; init; }
    /// <summary><c>lambda</c>: fitted mean number of electrons per bunch.</summary>
    public required double Lambda { get; init; }
    /// <summary><c>lambda_error</c>: its Hesse (1σ) error.</summary>
    public required double LambdaError { get; init; }
    /// <summary><c>converged</c>: whether the minimiser converged; a failed fit is still reported.</summary>
    public bool? Converged { get; init; }
    /// <summary><c>lambda_lo</c>, <c>lambda_hi</c>: the profile-likelihood interval.</summary>
    public double? LambdaLow { get; init; }
    public double? LambdaHigh { get; init; }
    /// <summary><c>chi2</c>, <c>ndf</c>, <c>p_value</c>: goodness of fit.</summary>
    public double? Chi2 { get; init; }
    public long? Ndf { get; init; }
    public double? PValue { get; init; }
    /// <summary><c>events</c>: bunches in the fitted spectrum.</summary>
    public ulong? Events { get; init; }
    /// <summary><c>lambda0</c>: the zero-fraction cross-check −ln(N₀/N).</summary>
    public double? LambdaZeroFraction { get; init; }
    /// <summary><c>lambda_mean</c>: the mean-method cross-check.</summary>
    public double? LambdaMean { get; init; }
    /// <summary><c>model</c>: the single-electron response used (e.g. <c>landau</c>, <c>template:FILE</c>).</summary>
    public string? Model { get; init; }
    /// <summary><c>software</c>: version of the program that made the fit.</summary>
    public string? Software { get; init; }
    /// <summary><c>params</c>: the other fitted parameters (gain, pedestal, noise, …) by name.</summary>
    public IReadOnlyDictionary<string, object?>? Parameters { get; init; }
    /// <summary>Undocumented keys, kept as they came.</summary>
    public IReadOnlyDictionary<string, object?> Extras { get; init; } = MapFields.Empty;

    private static readonly string[] Keys =
    [
        "run", "t_ns", "lambda", "lambda_error", "converged", "lambda_lo", "lambda_hi", "chi2", "ndf", "p_value",
        "events", "lambda0", "lambda_mean", "model", "software", "params",
    ];

    public Dictionary<string, object?> ToMap()
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["run"] = Run,
            ["t_ns"] = TimeNs,
            ["lambda"] = Lambda,
            ["lambda_error"] = LambdaError,
        };
        MapFields.AddOptional(map, "converged", Converged);
        MapFields.AddOptional(map, "lambda_lo", LambdaLow);
        MapFields.AddOptional(map, "lambda_hi", LambdaHigh);
        MapFields.AddOptional(map, "chi2", Chi2);
        MapFields.AddOptional(map, "ndf", Ndf);
        MapFields.AddOptional(map, "p_value", PValue);
        MapFields.AddOptional(map, "events", Events);
        MapFields.AddOptional(map, "lambda0", LambdaZeroFraction);
        MapFields.AddOptional(map, "lambda_mean", LambdaMean);
        MapFields.AddOptional(map, "model", Model);
        MapFields.AddOptional(map, "software", Software);
        MapFields.AddOptional(map, "params", Parameters);
        return MapFields.WithExtras(Topic, map, Extras);
    }

    public static FitMessage FromMap(IReadOnlyDictionary<string, object?> map)
    {
        var f = new MapFields(Topic, map);
        return new FitMessage
        {
            Run = f.UInt32("run"),
            TimeNs = f.Int64("t_ns"),
            Lambda = f.Double("lambda"),
            LambdaError = f.Double("lambda_error"),
            Converged = f.OptionalBoolean("converged"),
            LambdaLow = f.OptionalDouble("lambda_lo"),
            LambdaHigh = f.OptionalDouble("lambda_hi"),
            Chi2 = f.OptionalDouble("chi2"),
            Ndf = f.OptionalInt64("ndf"),
            PValue = f.OptionalDouble("p_value"),
            Events = f.OptionalUInt64("events"),
            LambdaZeroFraction = f.OptionalDouble("lambda0"),
            LambdaMean = f.OptionalDouble("lambda_mean"),
            Model = f.OptionalString("model"),
            Software = f.OptionalString("software"),
            Parameters = f.OptionalMap("params"),
            Extras = f.Extras(Keys),
        };
    }

    /// <summary>Appends the message with its envelope (<c>v</c>, <c>seq</c>, <c>tseq</c>) to <paramref name="writer"/>.</summary>
    public void Encode(ulong seq, ulong tseq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, tseq, writer);

    /// <summary>Appends the message with <c>v</c> and <c>seq</c> only, as a sender that keeps no per-topic count.</summary>
    public void Encode(ulong seq, MessagePackWriter writer) => MapMessage.Encode(Topic, ToMap(), seq, writer);
}
