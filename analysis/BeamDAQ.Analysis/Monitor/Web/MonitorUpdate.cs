namespace BeamDAQ.Analysis.Monitor.Web;

// The shape of one browser update (GET /api/state and every Server-Sent Event "update"). A part is present when it
// changed since the previous update (or always, when Full); the page merges parts into what it has. Times are
// milliseconds since the Unix epoch (a JavaScript Date), because t_ns does not fit a JavaScript number exactly.

public sealed record MonitorUpdate
{
    public required long Seq { get; init; }
    /// <summary>True when every part is present (a first update, or after a client fell behind).</summary>
    public required bool Full { get; init; }
    public required double ServerTimeMs { get; init; }
    public StatusPart? Status { get; init; }
    public RunPart? Run { get; init; }
    public IReadOnlyList<SpectrumPart>? Spectra { get; init; }
    public FitsPart? Fits { get; init; }
    public TrendPart? Trend { get; init; }
    public IReadOnlyList<WaveformsPart>? Waveforms { get; init; }
    public IReadOnlyList<NoisePart>? Noise { get; init; }
    public IReadOnlyList<SlowControlPart>? SlowControl { get; init; }
    public AlarmsPart? Alarms { get; init; }
    public ControlsPart? Controls { get; init; }
}

public sealed record StatusPart
{
    public uint? Run { get; init; }
    /// <summary>The front end's state from its heartbeat, or "no daq status" before one arrived.</summary>
    public required string State { get; init; }
    public string? DeviceState { get; init; }
    public double? DaqStatusAgeS { get; init; }
    public double? TriggerRateHz { get; init; }
    public double? DeadTimeFraction { get; init; }
    public ulong? DaqEvents { get; init; }
    public ulong? DaqMissed { get; init; }
    public ulong? DaqDropped { get; init; }
    public long? BytesWritten { get; init; }

    public required long Events { get; init; }
    public required long EventsTotal { get; init; }
    public required double EventRateHz { get; init; }
    public double? NewestTMs { get; init; }
    public ulong? NewestTrigger { get; init; }
    public required bool Frozen { get; init; }
    public required long FrozenEvents { get; init; }

    /// <summary>Events lost on the way to the monitor (gaps in the <c>evt</c> sequence).</summary>
    public required long MissedByMonitor { get; init; }
    /// <summary>Events the monitor dropped from its own queue because the analysis was behind.</summary>
    public required long DroppedByMonitor { get; init; }
    public required int Queued { get; init; }
    public required long Malformed { get; init; }
    public required long Undecodable { get; init; }
    public required long BadMessages { get; init; }
    public required long TriggerGaps { get; init; }
    public required long PublisherRestarts { get; init; }
    public required long SinkFailures { get; init; }
    public required long Fits { get; init; }
    public required long FitFailures { get; init; }
    public required long FitsPublished { get; init; }
    public double? LastFitMs { get; init; }
    public required int Clients { get; init; }
    public required IReadOnlyList<ConnectionPart> Connections { get; init; }
}

public sealed record ConnectionPart(string Address, long Received, long MissedEvents, long MissedOther, long Malformed, long Restarts, double? LastMessageAgeS);

public sealed record RunPart
{
    public ulong? Run { get; init; }
    public double? StartedMs { get; init; }
    public string? Software { get; init; }
    public IReadOnlyDictionary<string, object?>? Meta { get; init; }
    public IReadOnlyDictionary<string, object?>? Applied { get; init; }
    public RunEndPart? Ended { get; init; }
    /// <summary>Events arrived but no run.begin: the monitor started during a run.</summary>
    public bool RunBeginMissing { get; init; }
}

public sealed record RunEndPart(ulong? Run, double? TimeMs, ulong? Events, ulong? Missed, string? Reason);

public sealed record SpectrumPart
{
    public required int Channel { get; init; }
    /// <summary>True until enough amplitudes arrived to choose the binning.</summary>
    public required bool Collecting { get; init; }
    public required int BinningEvents { get; init; }
    public double LowEdge { get; init; }
    public double BinWidth { get; init; }
    public long[]? Counts { get; init; }
    public required long Entries { get; init; }
    public long Underflow { get; init; }
    public long Overflow { get; init; }
    public required long OverRange { get; init; }
    public required long WithoutAmplitude { get; init; }
    public double Mean { get; init; }
}

public sealed record FitsPart
{
    /// <summary>The channel whose fit is the headline λ (and is published).</summary>
    public int? Channel { get; init; }
    public required IReadOnlyList<FitPart> Items { get; init; }
    /// <summary>The latest fit another process published, if any.</summary>
    public ReceivedFitPart? Received { get; init; }
    /// <summary>Fits that failed since the last good one of their channel.</summary>
    public IReadOnlyList<FitFailurePart>? Failures { get; init; }
}

public sealed record FitFailurePart(int Channel, double TimeMs, long Events, string Message);

public sealed record FitPart
{
    public required int Channel { get; init; }
    public ulong? Run { get; init; }
    public required double TimeMs { get; init; }
    public required long Events { get; init; }
    public required bool Converged { get; init; }
    public required string Status { get; init; }
    public string? StatusReason { get; init; }
    public required double Lambda { get; init; }
    public required double LambdaError { get; init; }
    public double? LambdaLo { get; init; }
    public double? LambdaHi { get; init; }
    public double? Lambda0 { get; init; }
    public double? Lambda0Error { get; init; }
    public bool Lambda0Disagrees { get; init; }
    public double? LambdaMean { get; init; }
    public required double Chi2 { get; init; }
    public required int Ndf { get; init; }
    public required double PValue { get; init; }
    public required string Model { get; init; }
    public required bool Published { get; init; }
    public required bool Final { get; init; }
    public double ElapsedMs { get; init; }
    public required IReadOnlyList<ParameterPart> Parameters { get; init; }
    public IReadOnlyList<string>? Warnings { get; init; }
    public IReadOnlyList<string>? Notes { get; init; }
    /// <summary>The low-λ run whose single-electron response this fit fixed (null: the response was fitted).</summary>
    public string? ResponseFrom { get; init; }
    /// <summary>The fitted histogram's binning: the model arrays are per bin of it.</summary>
    public double LowEdge { get; init; }
    public double BinWidth { get; init; }
    public int BinCount { get; init; }
    public double[]? Expected { get; init; }
    /// <summary>Expected entries per bin for n = 0 (pedestal), 1, 2, ... electrons.</summary>
    public double[][]? Components { get; init; }
}

public sealed record ParameterPart(string Name, double Value, double Error, string Source);

public sealed record ReceivedFitPart(uint Run, double TimeMs, double Lambda, double LambdaError, double? Lambda0, double? Chi2, long? Ndf, string? Model, double ReceivedMs);

public sealed record TrendPart
{
    public int? Channel { get; init; }
    public required int BunchesPerPoint { get; init; }
    public required int Collected { get; init; }
    public required long DroppedBlocks { get; init; }
    public required IReadOnlyList<TrendPointPart> Points { get; init; }
}

public sealed record TrendPointPart(int Index, ulong TriggerFirst, ulong TriggerLast, double TMs, int Events, bool Converged,
    double Lambda, double LambdaError, double Lambda0, double Lambda0Error);

public sealed record WaveformsPart(int Channel, IReadOnlyList<WaveformPart> Items);

public sealed record WaveformPart
{
    public required uint Run { get; init; }
    public required ulong Trigger { get; init; }
    public required double TMs { get; init; }
    /// <summary>Sample times in µs from the trigger, and volts (min/max pairs when decimated).</summary>
    public required float[] TUs { get; init; }
    public required float[] Volts { get; init; }
    public required int Decimation { get; init; }
    public required double Baseline { get; init; }
    public required double BaselineRms { get; init; }
    public required double[] BaselineWindowUs { get; init; }
    public required double[] IntegralWindowUs { get; init; }
    public required double PeakTimeUs { get; init; }
    public required double Amplitude { get; init; }
    public required bool OverRange { get; init; }
}

public sealed record NoisePart
{
    public required int Channel { get; init; }
    public required long Events { get; init; }
    public required double Rms { get; init; }
    public required double Pedestal { get; init; }
    public required double PedestalSpread { get; init; }
    public required double[] HistoryTMs { get; init; }
    public required double[] HistoryRms { get; init; }
    public float[]? PsdFrequencyHz { get; init; }
    public float[]? PsdDensity { get; init; }
    public long PsdSegments { get; init; }
    public long Skipped { get; init; }
    public string? SkipReason { get; init; }
}

public sealed record SlowControlPart(string Device, string Quantity, double Value, string Unit, double TMs, long Readings, float[] History);

public sealed record AlarmsPart(long Total, IReadOnlyList<AlarmPart> Items);

public sealed record AlarmPart(double TMs, double ReceivedMs, string Source, string Severity, string Code, string Message);

public sealed record ControlsPart
{
    public required bool Frozen { get; init; }
    public required bool ClearAtRunStart { get; init; }
    /// <summary>Run-control buttons are offered (a token is configured).</summary>
    public required bool RunControl { get; init; }
    public required double FitEveryS { get; init; }
    public required int TrendBunches { get; init; }
    public int? FitChannel { get; init; }
    public required string Software { get; init; }
}
