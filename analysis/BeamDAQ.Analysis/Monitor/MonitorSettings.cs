using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Fitting;

namespace BeamDAQ.Analysis.Monitor;

/// <summary>
/// How the live monitor runs: where it listens, where it serves and publishes, and how often it fits. The
/// defaults are the single-machine layout of docs/run-control.md.
/// </summary>
public sealed record MonitorSettings
{
    /// <summary>The daq's PUB (events, status) and the control node's PUB (slow control, alarms).</summary>
    public static readonly string[] DefaultConnect = ["tcp://127.0.0.1:5555", "tcp://127.0.0.1:5558"];
    public const string DefaultHttp = "127.0.0.1:8080";
    public const string DefaultPublish = "tcp://127.0.0.1:5557";

    /// <summary>Publishers to subscribe to; each gets its own socket, so sequence gaps are counted per publisher.</summary>
    public IReadOnlyList<string> Connect { get; init; } = DefaultConnect;

    /// <summary>HOST:PORT of the web monitor; port 0 picks a free one (see <see cref="MonitorHost.HttpAddress"/>).</summary>
    public string Http { get; init; } = DefaultHttp;

    /// <summary>Where fit results are published on the <c>fit</c> topic; null: not published.</summary>
    public string? Publish { get; init; } = DefaultPublish;

    /// <summary>The secret that enables run control and is required on every request that changes something; null: read-only for run control.</summary>
    public string? Token { get; init; }

    /// <summary>The control node's run-control endpoint the Start/Stop buttons call (REQ/REP).</summary>
    public string? Control { get; init; }

    /// <summary>Minimum time between two fits of the same spectrum (a fit happens only when new events arrived).</summary>
    public TimeSpan FitInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bunches per point of the λ trend.</summary>
    public int TrendBunches { get; init; } = 500;

    /// <summary>Clear spectra, fits, trend and noise when a run begins.</summary>
    public bool ClearAtRunStart { get; init; } = true;

    /// <summary>The channel whose fits are published (and whose λ is the headline); null: the lowest channel seen.</summary>
    public int? FitChannel { get; init; }

    public FeatureSettings Features { get; init; } = FeatureSettings.Default;

    /// <summary>The multiplicity fit: the same response and physics as offline; the monitor adds the model components for plotting.</summary>
    public required FitOptions Fit { get; init; }

    /// <summary>
    /// From this free-response λ on, a fit is redone with the response fixed from the best low-λ run at the same
    /// settings (<see cref="Fits.ResponseCalibrationBook"/>; also when the free fit is degenerate or did not
    /// converge). Null: never; every fit keeps its response free.
    /// </summary>
    public double? FixResponseAboveLambda { get; init; } = 5;

    /// <summary>
    /// Events waiting between the subscribers and the pipeline before new events are dropped (and counted). Each
    /// holds its payload (~20 kB for a full HS4 record): 512 bound the queue to ~10 MB.
    /// </summary>
    public int QueueCapacity { get; init; } = 512;

    /// <summary>Amplitudes collected before the first binning of a spectrum is chosen.</summary>
    public int BinningEvents { get; init; } = 100;

    /// <summary>Entries a spectrum needs before it is fitted.</summary>
    public int MinimumFitEvents { get; init; } = 200;

    /// <summary>
    /// Amplitudes kept per channel for exact refits; beyond it the spectrum keeps filling at its last binning and
    /// is fitted from a copy of that histogram. The cap bounds the live state whatever the run length or the number
    /// of runs kept (no clear at run start): 250,000 doubles are at most 2 MiB per channel, and each fit copies
    /// at most that (4 million let one long spectrum hold 32 MiB plus a 32 MiB copy every fit, per channel).
    /// 250,000 bunches are 14 hours of 5 Hz beam, so a shift's run is still refitted exactly.
    /// </summary>
    public int MaxKeptAmplitudes { get; init; } = 250_000;

    /// <summary>Welch segment length of the noise spectrum (pre-trigger samples).</summary>
    public int NoiseSegmentLength { get; init; } = 256;

    /// <summary>Fastest push to browsers; updates in between are coalesced.</summary>
    public TimeSpan PushInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    public void Validate()
    {
        if (Connect.Count == 0) throw new ArgumentException("at least one --connect address is needed");
        if (FitInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(FitInterval), FitInterval, "--fit-every must be a positive number of seconds");
        if (TrendBunches < 20) throw new ArgumentOutOfRangeException(nameof(TrendBunches), TrendBunches, "--trend-bunches must be at least 20 (a fit of fewer bunches says nothing)");
        if (FitChannel is { } c && c is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(FitChannel), c, "the fit channel must be 1–4");
        if (QueueCapacity < 16) throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "the queue needs at least 16 places");
        if (MaxKeptAmplitudes < BinningEvents || MaxKeptAmplitudes > 10_000_000)
            throw new ArgumentOutOfRangeException(nameof(MaxKeptAmplitudes), MaxKeptAmplitudes, $"amplitudes kept per channel must be {BinningEvents}–10,000,000");
        if (FixResponseAboveLambda is { } above && !(above > 0))
            throw new ArgumentOutOfRangeException(nameof(FixResponseAboveLambda), above, "--fix-response-above must be a positive λ");
        if (Token is { Length: 0 }) throw new ArgumentException("the token is empty");
        Features.Validate();
    }
}
