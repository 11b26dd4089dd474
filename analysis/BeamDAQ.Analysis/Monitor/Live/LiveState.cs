using System.Diagnostics;
using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Monitor.Fits;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Monitor.Live;

/// <summary>
/// Everything the live monitor shows, shared by three kinds of threads: the pipeline writes events and messages
/// (through <see cref="MonitorSink"/>), the fit thread takes spectra and stores fits, the web side reads
/// snapshots and applies the crew's controls. One lock guards it all; every operation under it is short
/// (a fill, a copy of a few kB), except the copy of the kept amplitudes for a fit, which is a memcpy.
/// Each change bumps the version of its <see cref="MonitorSections"/> and raises <see cref="Changed"/>.
/// </summary>
public sealed class LiveState
{
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly MonitorSettings _settings;
    private readonly IClock _clock;
    private readonly LiveSpectrum?[] _spectra = new LiveSpectrum?[4];
    private readonly LiveFit?[] _fits = new LiveFit?[4];
    private readonly FitFailure?[] _fitFailures = new FitFailure?[4];
    private readonly long[] _versions = new long[10];
    private readonly Queue<long> _recentEvents = new();   // receive times (UTC ticks) within RateWindow
    private int? _fitChannel;

    public LiveState(MonitorSettings settings, IClock? clock = null)
    {
        _settings = settings;
        _clock = clock ?? SystemClock.Instance;
        ClearAtRunStart = settings.ClearAtRunStart;
        _fitChannel = settings.FitChannel;
        Trend = new LambdaTrend(settings.TrendBunches);
        Waveforms = new WaveformView(settings.Features);
        Noise = new NoiseHistory(settings.NoiseSegmentLength, settings.Features.Channels, TimeSpan.FromSeconds(1));
        SlowControl = new SlowControlBoard();
        Alarms = new AlarmLog();
        Calibrations = settings.FixResponseAboveLambda is { } above
            ? new ResponseCalibrationBook(above)
            : null;
    }

    /// <summary>Raised (under the lock, so it must not block) after every change; the argument says which part.</summary>
    public event Action<MonitorSections>? Changed;

    /// <summary>Raised when fit work appeared (a trend block, a run's end); it must not block.</summary>
    public event Action? FitWorkAvailable;

    public IClock Clock => _clock;
    public MonitorSettings Settings => _settings;

    // The parts below are read under the lock (see Read).
    public LambdaTrend Trend { get; }
    public WaveformView Waveforms { get; }
    public NoiseHistory Noise { get; }
    public SlowControlBoard SlowControl { get; }
    public AlarmLog Alarms { get; }
    /// <summary>Low-λ runs' responses for high-λ fits (thread-safe on its own; null when switched off).</summary>
    public ResponseCalibrationBook? Calibrations { get; }
    public RunInfo? Run { get; private set; }
    public RunEndInfo? RunEnd { get; private set; }
    public DaqStatusView? DaqStatus { get; private set; }
    public ReceivedFit? LastReceivedFit { get; private set; }

    /// <summary>While frozen, events are counted but spectra, waveforms, noise and trend stay as they are.</summary>
    public bool Frozen { get; private set; }
    public bool ClearAtRunStart { get; private set; }

    /// <summary>Events analysed since the current run began (or since the monitor started).</summary>
    public long RunEvents { get; private set; }
    /// <summary>Events analysed since the monitor started.</summary>
    public long TotalEvents { get; private set; }
    /// <summary>Events that arrived while frozen (counted, not histogrammed).</summary>
    public long FrozenEvents { get; private set; }
    public long Resets { get; private set; }
    public long NewestTimeNs { get; private set; }
    public ulong NewestTrigger { get; private set; }
    public uint NewestRun { get; private set; }
    /// <summary>A run number announced by events while no run.begin was seen (the monitor started mid-run).</summary>
    public bool RunBeginMissing => Run is null && TotalEvents > 0;

    /// <summary>The channel whose fits are published and whose λ heads the page.</summary>
    public int? FitChannel => _fitChannel;

    public long Version(MonitorSections section) => _versions[System.Numerics.BitOperations.Log2((uint)section)];

    /// <summary>Runs <paramref name="read"/> under the lock: the only way to look at the parts consistently.</summary>
    public T Read<T>(Func<LiveState, T> read)
    {
        lock (_gate) return read(this);
    }

    public LiveSpectrum? Spectrum(int channelId) => _spectra[channelId - 1];

    public IEnumerable<LiveSpectrum> Spectra() => _spectra.Where(s => s is not null)!;

    public LiveFit? Fit(int channelId) => _fits[channelId - 1];

    public IEnumerable<LiveFit> Fits() => _fits.Where(f => f is not null)!;

    /// <summary>Fits that failed after the last good one, per channel.</summary>
    public IEnumerable<FitFailure> FitFailures() => _fitFailures.Where(f => f is not null)!;

    /// <summary>Events per second analysed over the last few seconds (by the monitor's clock).</summary>
    public double EventRate()
    {
        long now = _clock.UtcNow.UtcTicks;
        Expire(now);
        if (_recentEvents.Count < 2) return 0;
        double span = Math.Max((now - _recentEvents.Peek()) / (double)TimeSpan.TicksPerSecond, 1.0);
        return _recentEvents.Count / Math.Min(span, RateWindow.TotalSeconds);
    }

    private void Expire(long now)
    {
        while (_recentEvents.Count > 0 && now - _recentEvents.Peek() > RateWindow.Ticks) _recentEvents.Dequeue();
    }

    // ---- the pipeline's side -------------------------------------------------------------------------------

    public void OnEvent(DaqEvent daqEvent, EventFeatures features)
    {
        lock (_gate)
        {
            long now = _clock.UtcNow.UtcTicks;
            _recentEvents.Enqueue(now);
            Expire(now);
            RunEvents++;
            TotalEvents++;
            NewestTimeNs = features.TimeNs;
            NewestTrigger = features.Trigger;
            NewestRun = features.Run;
            var changed = MonitorSections.Status;
            if (Frozen)
            {
                FrozenEvents++;
            }
            else
            {
                foreach (ref readonly var channel in features.Channels)
                {
                    int id = channel.ChannelId;
                    var spectrum = _spectra[id - 1] ??= new LiveSpectrum(id, _settings.BinningEvents, _settings.MaxKeptAmplitudes);
                    spectrum.Add(channel.Amplitude, channel.HasAmplitude, channel.IsOverRange);
                    Waveforms.Add(daqEvent, channel);
                    _fitChannel ??= id;
                    if (id == _fitChannel && channel.HasAmplitude
                        && Trend.Add(channel.Amplitude, features.Trigger, features.TimeNs, Run?.Run ?? features.Run))
                        FitWorkAvailable?.Invoke();
                }
                long noiseVersion = Noise.Version;
                Noise.Add(daqEvent, features);
                changed |= MonitorSections.Spectra | MonitorSections.Waveforms;
                if (Noise.Version != noiseVersion) changed |= MonitorSections.Noise;
            }
            Bump(changed);
        }
    }

    public void OnRunBegin(RunInfo run)
    {
        lock (_gate)
        {
            Run = run;
            RunEnd = null;
            RunEvents = 0;
            var changed = MonitorSections.Run | MonitorSections.Status;
            if (ClearAtRunStart) changed |= ResetAnalysisLocked(null);
            Bump(changed);
        }
    }

    public void OnRunEnd(RunEndInfo end)
    {
        lock (_gate)
        {
            RunEnd = end;
            FinalFitRequests++;
            Bump(MonitorSections.Run | MonitorSections.Status);
            FitWorkAvailable?.Invoke();
        }
    }

    public void OnMessage(string topic, IReadOnlyDictionary<string, object?> map)
    {
        // Typed decoding names the key that is wrong; a bad message is counted by the caller, never shown half.
        switch (topic)
        {
            case Topics.DaqStatus:
            {
                var status = DaqStatusMessage.FromMap(map);
                lock (_gate)
                {
                    DaqStatus = new DaqStatusView(status, _clock.UtcNow);
                    Bump(MonitorSections.Status | MonitorSections.Run);
                }
                break;
            }
            case Topics.SlowControl:
            {
                var reading = SlowControlMessage.FromMap(map);
                lock (_gate)
                {
                    SlowControl.Add(reading);
                    Bump(MonitorSections.SlowControl);
                }
                break;
            }
            case Topics.Alarm:
            {
                var alarm = AlarmMessage.FromMap(map);
                lock (_gate)
                {
                    Alarms.Add(new ShownAlarm(alarm, _clock.UtcNow));
                    Bump(MonitorSections.Alarms);
                }
                break;
            }
            case Topics.Fit:
            {
                var fit = FitMessage.FromMap(map);
                lock (_gate)
                {
                    LastReceivedFit = new ReceivedFit(fit, _clock.UtcNow);
                    Bump(MonitorSections.Fits);
                }
                break;
            }
        }
    }

    // ---- the crew's controls -------------------------------------------------------------------------------

    /// <summary>Clears one channel's spectrum and fit (<paramref name="channelId"/>), or every spectrum, fit, the trend, waveforms and noise (null).</summary>
    public void Reset(int? channelId)
    {
        if (channelId is { } id && id is < 1 or > 4)
            throw new ArgumentOutOfRangeException(nameof(channelId), id, "channel must be 1–4");
        lock (_gate) Bump(ResetAnalysisLocked(channelId));
    }

    public void SetFrozen(bool frozen)
    {
        lock (_gate)
        {
            Frozen = frozen;
            Bump(MonitorSections.Controls | MonitorSections.Status);
        }
    }

    public void SetClearAtRunStart(bool clear)
    {
        lock (_gate)
        {
            ClearAtRunStart = clear;
            Bump(MonitorSections.Controls);
        }
    }

    private MonitorSections ResetAnalysisLocked(int? channelId)
    {
        Resets++;
        if (channelId is { } id)
        {
            _spectra[id - 1]?.Reset();
            _fits[id - 1] = null;
            _fitFailures[id - 1] = null;
            if (id == _fitChannel) Trend.Reset();
            return MonitorSections.Spectra | MonitorSections.Fits | MonitorSections.Trend | MonitorSections.Status;
        }
        foreach (var spectrum in _spectra) spectrum?.Reset();
        Array.Clear(_fits);
        Array.Clear(_fitFailures);
        _fitChannel = _settings.FitChannel;
        Trend.Reset();
        Waveforms.Reset();
        Noise.Reset();
        return MonitorSections.Spectra | MonitorSections.Fits | MonitorSections.Trend | MonitorSections.Waveforms
               | MonitorSections.Noise | MonitorSections.Status;
    }

    // ---- the fit thread's side -----------------------------------------------------------------------------

    /// <summary>Counts run.end messages: when it moves, the next fits are the run's final ones, due now.</summary>
    public long FinalFitRequests
    {
        get { lock (_gate) return _finalFitRequests; }
        private set => _finalFitRequests = value;
    }
    private long _finalFitRequests;

    /// <summary>Channels that have a spectrum, ascending.</summary>
    public int[] ChannelsWithSpectra()
    {
        lock (_gate) return Enumerable.Range(1, 4).Where(id => _spectra[id - 1] is not null).ToArray();
    }

    /// <summary>
    /// Copies what a fit of <paramref name="channelId"/> needs, or null when there is nothing new to fit (the
    /// spectrum is unchanged since <paramref name="lastVersion"/>, unless <paramref name="final"/>) or too little.
    /// </summary>
    public FitJob? TakeFitJob(int channelId, long lastVersion, bool final)
    {
        lock (_gate)
        {
            if (_spectra[channelId - 1] is not { } spectrum) return null;
            if (spectrum.Entries < _settings.MinimumFitEvents) return null;
            // The data version, not the display's: a fit's own rebinning is no new work (it once made the run's final
            // fit be refitted and replaced as non-final).
            if (!final && spectrum.DataVersion == lastVersion) return null;
            string key = CalibrationKey.Of(Run, channelId);
            return spectrum.AllKept
                ? new FitJob(channelId, Run?.Run ?? NewestRun, spectrum.DataVersion, spectrum.Generation, spectrum.Entries, spectrum.CopyAmplitudes(), null, final, key)
                : new FitJob(channelId, Run?.Run ?? NewestRun, spectrum.DataVersion, spectrum.Generation, spectrum.Entries, null, spectrum.Histogram!.Clone(), final, key);
        }
    }

    /// <summary>
    /// Stores a fit unless the spectrum was reset while it ran; the displayed histogram takes the fit's binning.
    /// Returns false when the fit was discarded.
    /// </summary>
    public bool StoreFit(FitJob job, FitResult result, Histogram1D fitted, bool published, CalibrationSource? responseFrom = null)
    {
        lock (_gate)
        {
            if (_spectra[job.ChannelId - 1] is not { } spectrum || spectrum.Generation != job.Generation) return false;
            _fits[job.ChannelId - 1] = new LiveFit(job.ChannelId, job.Run, result, _clock.UtcNow, job.Entries, job.Final, published, responseFrom);
            _fitFailures[job.ChannelId - 1] = null;
            var changed = MonitorSections.Fits;
            long before = spectrum.Version;
            spectrum.Rebin(fitted);
            if (spectrum.Version != before) changed |= MonitorSections.Spectra;
            Bump(changed);
            return true;
        }
    }

    /// <summary>Records that the fit of <paramref name="job"/> threw; the last good fit stays shown with this beside it.</summary>
    public void StoreFitFailure(FitJob job, string message)
    {
        lock (_gate)
        {
            if (_spectra[job.ChannelId - 1] is not { } spectrum || spectrum.Generation != job.Generation) return;
            _fitFailures[job.ChannelId - 1] = new FitFailure(job.ChannelId, _clock.UtcNow, job.Entries, message);
            Bump(MonitorSections.Fits);
        }
    }

    public TrendBlock? TakeTrendBlock()
    {
        lock (_gate) return Trend.TryTakeBlock(out var block) ? block : null;
    }

    /// <summary>The current run's <see cref="CalibrationKey"/> for the λ trend's channel (the fit channel).</summary>
    public string TrendCalibrationKey()
    {
        lock (_gate) return CalibrationKey.Of(Run, _fitChannel ?? 1);
    }

    public void StoreTrendPoint(TrendBlock block, TrendPoint point)
    {
        lock (_gate)
        {
            Trend.AddPoint(block, point);
            Bump(MonitorSections.Trend);
        }
    }

    private void Bump(MonitorSections sections)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        for (int bit = 0; bit < _versions.Length; bit++)
            if (((int)sections & (1 << bit)) != 0) _versions[bit]++;
        Changed?.Invoke(sections);
    }
}
