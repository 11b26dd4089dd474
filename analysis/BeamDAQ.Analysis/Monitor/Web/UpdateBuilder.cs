using BeamDAQ.Analysis.Monitor.Live;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Monitor.Web;

/// <summary>
/// Turns the <see cref="LiveState"/> into a <see cref="MonitorUpdate"/>: the requested parts, copied under the
/// state's lock (so they are consistent with each other) into plain arrays that are serialised outside it.
/// Waveforms are converted to volts and decimated here, once per update, never per event.
/// </summary>
public static class UpdateBuilder
{
    /// <summary>Points per drawn waveform at most; longer records are reduced to min/max pairs.</summary>
    public const int MaxWaveformPoints = 2000;

    public static MonitorUpdate Build(LiveState state, MonitorSections parts, long seq, bool full, MonitorDiagnostics diagnostics, int clients, bool runControl)
    {
        if (full) parts = MonitorSections.All;
        return state.Read(s =>
        {
            var now = s.Clock.UtcNow;
            return new MonitorUpdate
            {
                Seq = seq,
                Full = full,
                ServerTimeMs = now.ToUnixTimeMilliseconds(),
                Status = Has(parts, MonitorSections.Status) ? Status(s, now, diagnostics, clients) : null,
                Run = Has(parts, MonitorSections.Run) ? Run(s) : null,
                Spectra = Has(parts, MonitorSections.Spectra) ? s.Spectra().Select(Spectrum).ToList() : null,
                Fits = Has(parts, MonitorSections.Fits) ? Fits(s) : null,
                Trend = Has(parts, MonitorSections.Trend) ? Trend(s) : null,
                Waveforms = Has(parts, MonitorSections.Waveforms) ? Waveforms(s) : null,
                Noise = Has(parts, MonitorSections.Noise) ? Noise(s) : null,
                SlowControl = Has(parts, MonitorSections.SlowControl) ? SlowControl(s) : null,
                Alarms = Has(parts, MonitorSections.Alarms) ? Alarms(s) : null,
                Controls = Has(parts, MonitorSections.Controls) ? Controls(s, runControl) : null,
            };
        });
    }

    private static bool Has(MonitorSections parts, MonitorSections part) => (parts & part) != 0;

    public static double Ms(long timeNs) => timeNs / 1e6;

    private static StatusPart Status(LiveState s, DateTimeOffset now, MonitorDiagnostics d, int clients)
    {
        var daq = s.DaqStatus;
        return new StatusPart
        {
            Run = daq?.Status.Run ?? (s.Run?.Run is { } r ? (uint)r : s.TotalEvents > 0 ? s.NewestRun : null),
            State = daq?.Status.State ?? (s.RunEnd is not null ? "ended" : s.Run is not null ? "running" : "no daq status"),
            DeviceState = daq?.Status.DeviceState,
            DaqStatusAgeS = daq is null ? null : (now - daq.ReceivedUtc).TotalSeconds,
            TriggerRateHz = daq?.Status.TriggerRateHz,
            DeadTimeFraction = daq?.Status.DeadTimeFraction,
            DaqEvents = daq?.Status.Events,
            DaqMissed = daq?.Status.Missed,
            DaqDropped = daq?.Status.Dropped,
            BytesWritten = daq?.Status.BytesWritten,
            Events = s.RunEvents,
            EventsTotal = s.TotalEvents,
            EventRateHz = s.EventRate(),
            NewestTMs = s.TotalEvents > 0 ? Ms(s.NewestTimeNs) : null,
            NewestTrigger = s.TotalEvents > 0 ? s.NewestTrigger : null,
            Frozen = s.Frozen,
            FrozenEvents = s.FrozenEvents,
            MissedByMonitor = d.MissedEvents,
            DroppedByMonitor = d.DroppedEvents,
            Queued = d.Queued,
            Malformed = d.Malformed,
            Undecodable = d.Undecodable,
            BadMessages = d.BadMessages,
            TriggerGaps = d.TriggerGaps,
            PublisherRestarts = d.PublisherRestarts,
            SinkFailures = d.SinkFailures,
            Fits = d.Fits,
            FitFailures = d.FitFailures,
            FitsPublished = d.FitsPublished,
            LastFitMs = d.LastFitMs,
            Clients = clients,
            Connections = d.Connections,
        };
    }

    private static RunPart Run(LiveState s)
    {
        var end = s.RunEnd;
        return new RunPart
        {
            Run = s.Run?.Run,
            StartedMs = s.Run?.TimeNs is { } started ? Ms(started) : null,
            Software = s.Run?.Software,
            Meta = s.Run?.Meta,
            Applied = s.Run?.Applied,
            Ended = end is null ? null : new RunEndPart(end.Run,
                Pipeline.MapValues.TryGetDouble(end.Map, "t_ns", out double t) ? t / 1e6 : null, end.Events, end.Missed, end.Reason),
            RunBeginMissing = s.RunBeginMissing,
        };
    }

    private static SpectrumPart Spectrum(LiveSpectrum spectrum)
    {
        var h = spectrum.Histogram;
        return new SpectrumPart
        {
            Channel = spectrum.ChannelId,
            Collecting = h is null,
            BinningEvents = spectrum.BinningEvents,
            LowEdge = h?.LowEdge ?? 0,
            BinWidth = h?.BinWidth ?? 0,
            Counts = h?.Counts.ToArray(),
            Entries = spectrum.Entries,
            Underflow = h?.Underflow ?? 0,
            Overflow = h?.Overflow ?? 0,
            OverRange = spectrum.OverRange,
            WithoutAmplitude = spectrum.WithoutAmplitude,
            Mean = h?.Mean ?? double.NaN,
        };
    }

    private static FitsPart Fits(LiveState s)
    {
        var received = s.LastReceivedFit;
        return new FitsPart
        {
            Channel = s.FitChannel,
            Items = s.Fits().Select(Fit).ToList(),
            Failures = s.FitFailures().Select(f => new FitFailurePart(f.ChannelId, f.TimeUtc.ToUnixTimeMilliseconds(), f.Entries, f.Message)).ToList(),
            Received = received is null ? null : new ReceivedFitPart(received.Fit.Run, Ms(received.Fit.TimeNs), received.Fit.Lambda, received.Fit.LambdaError,
                received.Fit.LambdaZeroFraction, received.Fit.Chi2, received.Fit.Ndf, received.Fit.Model, received.ReceivedUtc.ToUnixTimeMilliseconds()),
        };
    }

    public static FitPart Fit(LiveFit fit) => Fit(fit.Result, fit.ChannelId, fit.Run, fit.TimeUtc.ToUnixTimeMilliseconds(), fit.Entries, fit.Published, fit.Final) with
    {
        ResponseFrom = fit.ResponseFrom?.Describe(),
    };

    /// <summary>A fit result as the page draws it (also used by the reports).</summary>
    public static FitPart Fit(Fitting.Results.FitResult r, int channel, ulong? run, double timeMs, long events, bool published, bool final) => new()
    {
        Channel = channel,
        Run = run,
        TimeMs = timeMs,
        Events = events,
        Converged = r.Converged,
        Status = r.Status.ToString(),
        StatusReason = r.Converged ? null : r.StatusReason,
        Lambda = r.Lambda,
        LambdaError = r.LambdaError,
        LambdaLo = r.LambdaIntervalFound ? r.LambdaLower : null,
        LambdaHi = r.LambdaIntervalFound ? r.LambdaUpper : null,
        Lambda0 = r.ZeroFraction.Lambda,
        Lambda0Error = r.ZeroFraction.Error,
        Lambda0Disagrees = r.ZeroFraction.Disagrees,
        LambdaMean = r.MeanMethod?.Lambda,
        Chi2 = r.Goodness.Chi2,
        Ndf = r.Goodness.Ndf,
        PValue = r.Goodness.PValue,
        Model = r.Model,
        Published = published,
        Final = final,
        ElapsedMs = r.ElapsedMilliseconds,
        Parameters = r.Parameters.Select(p => new ParameterPart(p.Name, p.Value, p.Error, p.Source.ToString())).ToList(),
        Warnings = r.Warnings.Count > 0 ? r.Warnings : null,
        Notes = r.Notes.Count > 0 ? r.Notes : null,
        LowEdge = r.Histogram?.LowEdge ?? double.NaN,
        BinWidth = r.Histogram is { } h ? (h.HighEdge - h.LowEdge) / h.BinCount : double.NaN,
        BinCount = r.Histogram?.BinCount ?? 0,
        Expected = r.Expected,
        Components = r.Components,
    };

    private static TrendPart Trend(LiveState s) => new()
    {
        Channel = s.FitChannel,
        BunchesPerPoint = s.Trend.BunchesPerPoint,
        Collected = s.Trend.CollectedInBlock,
        DroppedBlocks = s.Trend.DroppedBlocks,
        Points = s.Trend.Points.Select(TrendPoint).ToList(),
    };

    public static TrendPointPart TrendPoint(TrendPoint p) => new(p.Index, p.FirstTrigger, p.LastTrigger,
        Ms(p.FirstTimeNs / 2 + p.LastTimeNs / 2), p.Events, p.Converged, p.Lambda, p.LambdaError, p.ZeroFractionLambda, p.ZeroFractionLambdaError);

    private static List<WaveformsPart> Waveforms(LiveState s)
    {
        var parts = new List<WaveformsPart>();
        foreach (var (channel, waveforms) in s.Waveforms.Channels())
            parts.Add(new WaveformsPart(channel, waveforms.Select(w => Waveform(s.Waveforms, w)).ToList()));
        return parts;
    }

    private static WaveformPart Waveform(WaveformView view, CapturedWaveform w)
    {
        var channel = w.Channel;
        var samples = channel.Samples;
        int n = samples.Length;
        double fs = w.Event.SampleRate;
        double usPerSample = fs > 0 ? 1e6 / fs : 1;
        int trigger = (int)Math.Min(w.Event.PreSamples, (uint)n);
        var (b0, b1, i0, i1) = view.Windows(n, w.Event.PreSamples, fs);
        double Us(int index) => (index - trigger) * usPerSample;

        float[] times, volts;
        int decimation = 1;
        if (n <= MaxWaveformPoints)
        {
            times = new float[n];
            volts = new float[n];
            for (int i = 0; i < n; i++)
            {
                times[i] = (float)Us(i);
                volts[i] = (float)channel.ToVolts(samples[i]);
            }
        }
        else
        {
            // Min and max of each bucket, in the order they occur: narrow pulses survive the reduction.
            decimation = (n + MaxWaveformPoints / 2 - 1) / (MaxWaveformPoints / 2);
            int buckets = (n + decimation - 1) / decimation;
            times = new float[2 * buckets];
            volts = new float[2 * buckets];
            for (int b = 0; b < buckets; b++)
            {
                int start = b * decimation, end = Math.Min(n, start + decimation);
                int lo = start, hi = start;
                for (int i = start + 1; i < end; i++)
                {
                    if (samples[i] < samples[lo]) lo = i;
                    if (samples[i] > samples[hi]) hi = i;
                }
                int first = Math.Min(lo, hi), second = Math.Max(lo, hi);
                times[2 * b] = (float)Us(first);
                volts[2 * b] = (float)channel.ToVolts(samples[first]);
                times[2 * b + 1] = (float)Us(second);
                volts[2 * b + 1] = (float)channel.ToVolts(samples[second]);
            }
        }
        return new WaveformPart
        {
            Run = w.Event.Run,
            Trigger = w.Event.Trigger,
            TMs = Ms(w.Event.TimeNs),
            TUs = times,
            Volts = volts,
            Decimation = decimation,
            Baseline = w.Features.Baseline,
            BaselineRms = w.Features.BaselineRms,
            BaselineWindowUs = [Us(b0), Us(b1)],
            IntegralWindowUs = [Us(i0), Us(i1)],
            PeakTimeUs = w.Features.PeakTime * 1e6,
            Amplitude = w.Features.Amplitude,
            OverRange = w.Features.IsOverRange,
        };
    }

    private static List<NoisePart> Noise(LiveState s)
    {
        var parts = new List<NoisePart>();
        foreach (var noise in s.Noise.Spectra())
        {
            var history = s.Noise.History(noise.ChannelId);
            var psd = noise.Spectrum;
            parts.Add(new NoisePart
            {
                Channel = noise.ChannelId,
                Events = noise.Events,
                Rms = noise.Rms,
                Pedestal = noise.Pedestal,
                PedestalSpread = noise.PedestalSpread,
                HistoryTMs = history.Select(p => Ms(p.TimeNs)).ToArray(),
                HistoryRms = history.Select(p => p.MeanRms).ToArray(),
                // DC carries the pedestal, not noise: the page starts at the first bin above it.
                PsdFrequencyHz = psd is { Segments: > 0 } ? psd.Frequencies.Skip(1).Select(f => (float)f).ToArray() : null,
                PsdDensity = psd is { Segments: > 0 } ? psd.Density.Skip(1).Select(d => (float)d).ToArray() : null,
                PsdSegments = psd?.Segments ?? 0,
                Skipped = noise.SkippedRecords,
                SkipReason = noise.SkipReason,
            });
        }
        return parts;
    }

    private static List<SlowControlPart> SlowControl(LiveState s) =>
        s.SlowControl.Entries.Select(e => new SlowControlPart(e.Device, e.Quantity, e.Value, e.Unit, Ms(e.TimeNs), e.Readings,
            e.History.Select(h => (float)h.Value).ToArray())).ToList();

    private static AlarmsPart Alarms(LiveState s) => new(s.Alarms.Total,
        s.Alarms.Alarms.Reverse().Select(a => new AlarmPart(Ms(a.Alarm.TimeNs), a.ReceivedUtc.ToUnixTimeMilliseconds(), a.Alarm.Source,
            Protocol.Events.AlarmSeverityNames.ToWire(a.Alarm.Severity), a.Alarm.Code, a.Alarm.Message)).ToList());

    private static ControlsPart Controls(LiveState s, bool runControl) => new()
    {
        Frozen = s.Frozen,
        ClearAtRunStart = s.ClearAtRunStart,
        RunControl = runControl,
        FitEveryS = s.Settings.FitInterval.TotalSeconds,
        TrendBunches = s.Settings.TrendBunches,
        FitChannel = s.FitChannel,
        Software = SoftwareVersion.Current,
    };
}
