using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Monitor.Web;
using BeamDAQ.Analysis.Offline;
using BeamDAQ.Analysis.Pipeline;
using BeamDAQ.Protocol.Events;
using BeamDAQ.Protocol.Hosting;
using BeamDAQ.Protocol.RunFiles;

namespace BeamDAQ.Analysis.Reports;

/// <summary>
/// Turns the offline analysis of run files into a <see cref="ReportDocument"/>: spectra with their fit (and
/// model components when the fit kept them), λ over the run from fits of consecutive blocks of bunches, the
/// baseline noise over time and its Welch spectrum, the run's metadata, alarms and slow control from the file's
/// own records, and every gap in the trigger sequence.
/// </summary>
public sealed class ReportBuilder(ISpectrumFitter? blockFitter, IClock? clock = null)
{
    /// <summary>Bunches per trend point at most; short runs get smaller blocks so the trend has a few points.</summary>
    public const int MaxBunchesPerPoint = 500;
    public const int MinBunchesPerPoint = 100;
    private const int MaxGapsListed = 1000;
    private const int MaxNoisePoints = 300;

    private readonly IClock _clock = clock ?? SystemClock.Instance;

    public ReportDocument Build(string title, IReadOnlyList<RunFileAnalysis> results) =>
        new(title, SoftwareVersion.Current, _clock.UtcNow.ToUnixTimeMilliseconds(), results.Select(File).ToList());

    public ReportFile File(RunFileAnalysis r)
    {
        string name = Path.GetFileName(r.Path);
        if (r.Failure is not null)
            return new ReportFile { Name = name, Path = r.Path, Failure = r.Failure };

        var spectra = r.Spectra.Select(Spectrum).ToList();
        var fits = new List<FitPart>();
        var notes = new List<string>();
        foreach (var s in r.Spectra)
        {
            if (s.Fit is not { } summary) continue;
            if (summary.Details is FitResult result)
                fits.Add(UpdateBuilder.Fit(result, s.ChannelId, r.Run?.Run, RunTimeMs(r), result.Events, published: false, final: true));
            if (!summary.Converged) notes.Add($"channel {s.ChannelId}: the fit did not converge: {summary.Problem}");
        }
        if (!r.ReadToCleanEnd) notes.Add($"{r.EndState}: {r.EndDescription}; {r.Counters.Events} event(s) before it were analysed");
        else if (!r.EndsWithRunEnd) notes.Add("no run.end record: the run did not end cleanly");
        if (r.Counters.Undecodable > 0) notes.Add($"{r.Counters.Undecodable} record(s) could not be decoded and were skipped; first: {r.Problems[0]}");

        var (alarms, readings) = ScanMessages(r.Path);
        return new ReportFile
        {
            Name = name,
            Path = r.Path,
            Run = r.Run?.Run,
            Bytes = r.Length,
            Events = r.Counters.Events,
            Missed = r.Missed,
            TriggerGaps = r.TriggerGaps,
            Gaps = Gaps(r.Features),
            Undecodable = r.Counters.Undecodable,
            End = OfflineEnd(r),
            Metadata = Metadata(r),
            Notes = notes,
            Spectra = spectra,
            Fits = fits,
            Trend = Trend(r),
            Noise = Noise(r),
            Alarms = alarms,
            SlowControl = readings,
        };
    }

    private static double RunTimeMs(RunFileAnalysis r) =>
        r.RunEnd is { } end && MapValues.TryGetDouble(end.Map, "t_ns", out double t) ? t / 1e6 : (r.Run?.TimeNs ?? 0) / 1e6;

    private static string OfflineEnd(RunFileAnalysis r) => r.EndState switch
    {
        RunFileEndState.CleanEnd => r.EndsWithRunEnd
            ? $"clean; run.end: {r.RunEnd?.Reason ?? "?"}, {r.RunEnd?.Events} events, {r.RunEnd?.Missed} missed"
            : "clean, but no run.end",
        var state => $"{state} at offset {r.EndOffset}: {r.EndDescription}",
    };

    private static SpectrumPart Spectrum(ChannelSpectrum s) => new()
    {
        Channel = s.ChannelId,
        Collecting = false,
        BinningEvents = 0,
        LowEdge = s.Histogram.LowEdge,
        BinWidth = s.Histogram.BinWidth,
        Counts = s.Histogram.Counts.ToArray(),
        Entries = s.Histogram.Entries,
        Underflow = s.Histogram.Underflow,
        Overflow = s.Histogram.Overflow,
        OverRange = s.OverRange,
        WithoutAmplitude = 0,
        Mean = s.Histogram.Mean,
    };

    private static IReadOnlyList<TriggerGap> Gaps(FeatureTable table)
    {
        var gaps = new List<TriggerGap>();
        var triggers = table.Triggers;
        for (int i = 1; i < triggers.Count && gaps.Count < MaxGapsListed; i++)
            if (triggers[i] > triggers[i - 1] + 1) gaps.Add(new TriggerGap(triggers[i - 1], triggers[i]));
        return gaps;
    }

    private static IReadOnlyList<MetadataEntry> Metadata(RunFileAnalysis r)
    {
        var entries = new List<MetadataEntry>();
        if (r.Run is not { } run) return [new MetadataEntry("run.begin", "missing: the file does not start with run.begin")];
        if (run.TimeNs is { } t) entries.Add(new MetadataEntry("started", DateTimeOffset.UnixEpoch.AddTicks(t / 100).ToString("yyyy-MM-dd HH:mm:ss 'UTC'")));
        if (r.RunEnd is { } end && MapValues.TryGetDouble(end.Map, "t_ns", out double e))
            entries.Add(new MetadataEntry("ended", DateTimeOffset.UnixEpoch.AddTicks((long)(e / 100)).ToString("yyyy-MM-dd HH:mm:ss 'UTC'")));
        entries.Add(new MetadataEntry("software", run.Software));
        Flatten("meta", run.Meta, entries, 0);
        Flatten("applied", run.Applied, entries, 0);
        Flatten("config", run.Config, entries, 0);
        return entries;
    }

    private static void Flatten(string prefix, IReadOnlyDictionary<string, object?> map, List<MetadataEntry> into, int depth)
    {
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (into.Count > 200) return;
            string path = prefix + "." + key;
            if (value is IReadOnlyDictionary<string, object?> sub && depth < 3) Flatten(path, sub, into, depth + 1);
            else into.Add(new MetadataEntry(path, value is byte[] bytes ? $"{bytes.Length} bytes" : value));
        }
    }

    /// <summary>λ over the run: the fitted channel's amplitudes in trigger order, cut into blocks, each fitted alone.</summary>
    private TrendPart Trend(RunFileAnalysis r)
    {
        var fitted = r.FittedSpectrum ?? r.Spectra.FirstOrDefault();
        if (fitted is null || blockFitter is null)
            return new TrendPart { Channel = fitted?.ChannelId, BunchesPerPoint = MaxBunchesPerPoint, Collected = 0, DroppedBlocks = 0, Points = [] };
        int channel = fitted.ChannelId;
        var column = r.Features.ChannelColumn(channel);
        var times = r.Features.TimesNs;
        var triggers = r.Features.Triggers;
        long usable = column.Count(f => f.ChannelId != 0 && f.HasAmplitude);
        int perPoint = (int)Math.Clamp(usable / 8, MinBunchesPerPoint, MaxBunchesPerPoint);

        var blocks = new List<(int Index, ulong First, ulong Last, long T0, long T1, double[] Amplitudes)>();
        var current = new List<double>(perPoint);
        ulong first = 0;
        long t0 = 0;
        for (int i = 0; i < column.Count; i++)
        {
            var f = column[i];
            if (f.ChannelId == 0 || !f.HasAmplitude) continue;
            if (current.Count == 0)
            {
                first = triggers[i];
                t0 = times[i];
            }
            current.Add(f.Amplitude);
            if (current.Count == perPoint)
            {
                blocks.Add((blocks.Count, first, triggers[i], t0, times[i], current.ToArray()));
                current.Clear();
            }
        }
        var points = new TrendPointPart?[blocks.Count];
        Parallel.For(0, blocks.Count, i =>
        {
            var b = blocks[i];
            SpectrumFitSummary fit;
            try
            {
                fit = blockFitter.Fit(Histogram1D.FromSpectrum(b.Amplitudes), b.Amplitudes);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
            {
                return;
            }
            points[i] = new TrendPointPart(b.Index, b.First, b.Last, (b.T0 / 2 + b.T1 / 2) / 1e6, b.Amplitudes.Length, fit.Converged,
                fit.Lambda, fit.LambdaError, fit.ZeroFractionLambda, fit.ZeroFractionLambdaError);
        });
        return new TrendPart
        {
            Channel = channel,
            BunchesPerPoint = perPoint,
            Collected = current.Count,
            DroppedBlocks = points.Count(p => p is null),
            Points = points.Where(p => p is not null).Select(p => p!).ToList(),
        };
    }

    /// <summary>Baseline RMS over time (from every event's features) and the Welch spectrum of the noise sink.</summary>
    private static IReadOnlyList<NoisePart> Noise(RunFileAnalysis r)
    {
        var parts = new List<NoisePart>();
        var times = r.Features.TimesNs;
        foreach (int channel in r.Features.ChannelIds)
        {
            var column = r.Features.ChannelColumn(channel);
            var (historyT, historyRms) = RmsHistory(column, times);
            var noise = r.Noise.FirstOrDefault(n => n.ChannelId == channel);
            var psd = noise?.Spectrum;
            double rms = noise?.Rms ?? (historyRms.Length > 0 ? historyRms.Average() : double.NaN);
            parts.Add(new NoisePart
            {
                Channel = channel,
                Events = noise?.Events ?? column.Count(f => f.ChannelId != 0),
                Rms = rms,
                Pedestal = noise?.Pedestal ?? double.NaN,
                PedestalSpread = noise?.PedestalSpread ?? double.NaN,
                HistoryTMs = historyT,
                HistoryRms = historyRms,
                PsdFrequencyHz = psd is { Segments: > 0 } ? psd.Frequencies.Skip(1).Select(f => (float)f).ToArray() : null,
                PsdDensity = psd is { Segments: > 0 } ? psd.Density.Skip(1).Select(d => (float)d).ToArray() : null,
                PsdSegments = psd?.Segments ?? 0,
                Skipped = noise?.SkippedRecords ?? 0,
                SkipReason = noise?.SkipReason,
            });
        }
        return parts;
    }

    private static (double[] TimesMs, double[] Rms) RmsHistory(IReadOnlyList<Features.ChannelFeatures> column, IReadOnlyList<long> times)
    {
        int rows = Math.Min(column.Count, times.Count);
        int per = Math.Max(1, (rows + MaxNoisePoints - 1) / MaxNoisePoints);
        var t = new List<double>();
        var v = new List<double>();
        double sumT = 0, sumV = 0;
        int n = 0;
        for (int i = 0; i < rows; i++)
        {
            var f = column[i];
            if (f.ChannelId == 0 || !double.IsFinite(f.BaselineRms)) continue;
            sumT += times[i] / 1e6;
            sumV += f.BaselineRms;
            if (++n == per)
            {
                t.Add(sumT / n);
                v.Add(sumV / n);
                sumT = sumV = 0;
                n = 0;
            }
        }
        if (n > 0)
        {
            t.Add(sumT / n);
            v.Add(sumV / n);
        }
        return (t.ToArray(), v.ToArray());
    }

    /// <summary>The alarms and the last slow-control reading of each quantity, from the file's own records.</summary>
    private static (IReadOnlyList<AlarmPart> Alarms, IReadOnlyList<ReportReading> Readings) ScanMessages(string path)
    {
        var alarms = new List<AlarmPart>();
        var readings = new SortedDictionary<string, ReportReading>(StringComparer.Ordinal);
        try
        {
            using var reader = RunFileReader.Open(path);
            while (reader.TryRead(out var record))
            {
                if (record.Topic is not (Topics.Alarm or Topics.SlowControl)) continue;
                try
                {
                    var map = MapMessage.Decode(record.Payload.Span);
                    if (record.Topic == Topics.Alarm)
                    {
                        var a = AlarmMessage.FromMap(map);
                        alarms.Add(new AlarmPart(a.TimeNs / 1e6, a.TimeNs / 1e6, a.Source, a.Severity.ToWire(), a.Code, a.Message));
                    }
                    else
                    {
                        var s = SlowControlMessage.FromMap(map);
                        string key = s.Device + "/" + s.Quantity;
                        long count = readings.TryGetValue(key, out var old) ? old.Readings + 1 : 1;
                        readings[key] = new ReportReading(s.Device, s.Quantity, s.Value, s.Unit, count);
                    }
                }
                catch (FormatException)
                {
                    // Counted by the analysis as an undecodable record when the map itself is bad; a schema
                    // mismatch of a side record does not stop the report.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return (alarms, readings.Values.ToList());
    }
}
