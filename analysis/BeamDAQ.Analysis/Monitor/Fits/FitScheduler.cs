using System.Diagnostics;
using BeamDAQ.Analysis.Fitting;
using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Monitor.Live;
using Serilog;

namespace BeamDAQ.Analysis.Monitor.Fits;

/// <summary>
/// Fits on a background thread of its own, never on the receive path: every spectrum that received events is
/// refitted at most once per <see cref="MonitorSettings.FitInterval"/> (binned exactly as offline, with the
/// model components for the page), the fit channel's fits are published, and finished λ-trend blocks are
/// fitted as they come. At a run's end the final fits are made at once and published marked <c>final</c>.
/// One fit at a time, at below-normal priority: on a busy machine the fits fall behind, acquisition does not.
/// Each converged final fit of a low-λ run is offered to the <see cref="ResponseCalibrationBook"/>; a later fit
/// that needs it (high λ, degenerate, not converged) is redone with that run's response fixed and its
/// uncertainty propagated, and says so.
/// </summary>
public sealed class FitScheduler : IDisposable
{
    private static readonly TimeSpan WakeInterval = TimeSpan.FromMilliseconds(100);

    private readonly LiveState _state;
    private readonly FitOptions _spectrumOptions;
    private readonly FitOptions _trendOptions;
    private readonly FitPublisher? _publisher;
    private readonly ResponseCalibrationBook? _calibrations;
    private readonly ILogger? _log;
    private readonly AutoResetEvent _work = new(false);
    private readonly Thread _thread;
    private readonly long[] _lastVersion = [-1, -1, -1, -1];
    private readonly long[] _lastFitTicks = new long[4];
    private volatile bool _stopping;
    private long _handledFinalRequests;
    private long _fits, _failedFits, _trendFits, _calibratedFits;
    private double _lastFitMilliseconds;

    public FitScheduler(LiveState state, FitPublisher? publisher, ILogger? log = null)
    {
        _state = state;
        _publisher = publisher;
        _calibrations = state.Calibrations;
        _log = log;
        _spectrumOptions = state.Settings.Fit with { IncludeSpectrum = true };
        // A block of a few hundred bunches needs λ and its Hesse error, not the profile interval.
        _trendOptions = state.Settings.Fit with { IncludeSpectrum = false, ProfileInterval = false };
        _state.FitWorkAvailable += () => _work.Set();
        _thread = new Thread(Run) { IsBackground = true, Name = "monitor fits", Priority = ThreadPriority.BelowNormal };
    }

    public long Fits => Interlocked.Read(ref _fits);
    /// <summary>Fits that threw (invalid input); a fit that did not converge is a result, not a failure.</summary>
    public long FailedFits => Interlocked.Read(ref _failedFits);
    public long TrendFits => Interlocked.Read(ref _trendFits);
    /// <summary>Fits (spectra and trend blocks) redone with the response fixed from a calibration run.</summary>
    public long CalibratedFits => Interlocked.Read(ref _calibratedFits);
    public double LastFitMilliseconds => Volatile.Read(ref _lastFitMilliseconds);

    public void Start() => _thread.Start();

    private void Run()
    {
        while (!_stopping)
        {
            _work.WaitOne(WakeInterval);
            if (_stopping) return;
            try
            {
                FitSpectra();
                FitTrendBlocks();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Interlocked.Increment(ref _failedFits);
                _log?.Error(e, "A monitor fit pass failed; the next pass tries again");
            }
        }
    }

    private void FitSpectra()
    {
        long finalRequests = _state.FinalFitRequests;
        bool final = finalRequests != _handledFinalRequests;
        long now = _state.Clock.UtcNow.UtcTicks;
        foreach (int channel in _state.ChannelsWithSpectra())
        {
            if (_stopping) return;
            if (!final && now - _lastFitTicks[channel - 1] < _state.Settings.FitInterval.Ticks) continue;
            var job = _state.TakeFitJob(channel, _lastVersion[channel - 1], final);
            if (job is null) continue;
            _lastVersion[channel - 1] = job.Version;
            _lastFitTicks[channel - 1] = now;
            var histogram = job.BuildHistogram();
            var result = TryFit(histogram, _spectrumOptions, $"channel {channel}", out string? failure);
            if (result is null)
            {
                _state.StoreFitFailure(job, failure!);
                continue;
            }
            Interlocked.Increment(ref _fits);
            if (job.Final && _calibrations?.Offer(channel, job.Run, job.CalibrationKey, result) == true)
                _log?.Information("Channel {Channel}: run {Run}'s response (λ = {Lambda:F3}) is the calibration for later high-λ fits at the same settings",
                    channel, job.Run, result.Lambda);
            var (shown, responseFrom) = WithCalibratedResponse(result, histogram, _spectrumOptions, channel, job.CalibrationKey, $"channel {channel}");
            bool published = false;
            if (_publisher is not null && channel == _state.FitChannel && job.Run is { } run)
            {
                var message = FitMessages.From(shown, (uint)run, _state.Clock.UnixNanoseconds, channel, job.Final, responseFrom);
                published = _publisher.Publish(message);   // FitPublisher counts what went out and what was dropped
            }
            _state.StoreFit(job, shown, histogram, published, responseFrom);
        }
        if (final) _handledFinalRequests = finalRequests;
    }

    private void FitTrendBlocks()
    {
        while (!_stopping && _state.TakeTrendBlock() is { } block)
        {
            var histogram = Histogram1D.FromSpectrum(block.Amplitudes);
            var free = TryFit(histogram, _trendOptions, $"trend block {block.Index}", out _);
            if (free is null) continue;
            var (result, _) = WithCalibratedResponse(free, histogram, _trendOptions, _state.FitChannel ?? 1, _state.TrendCalibrationKey(), $"trend block {block.Index}");
            Interlocked.Increment(ref _trendFits);
            _state.StoreTrendPoint(block, new TrendPoint(block.Index, block.FirstTrigger, block.LastTrigger, block.FirstTimeNs, block.LastTimeNs,
                block.Amplitudes.Length, result.Converged, result.Lambda, result.LambdaError,
                result.ZeroFraction.Lambda ?? double.NaN, result.ZeroFraction.Error ?? double.NaN));
        }
    }

    /// <summary>
    /// The fit to show: <paramref name="free"/>, or — when a calibration for the channel's settings exists and
    /// <see cref="ResponseCalibrationBook.PrefersFixedResponse"/> says so — the same spectrum fitted with that
    /// calibration's response fixed, noting the free fit's λ beside it.
    /// </summary>
    private (FitResult Fit, CalibrationSource? From) WithCalibratedResponse(FitResult free, Histogram1D histogram, FitOptions options, int channel, string key, string what)
    {
        if (_calibrations is null || options.Calibration is not null) return (free, null);
        if (_calibrations.For(channel, key) is not { } source) return (free, null);
        var fixedFit = TryFit(histogram, options with { Calibration = source.Calibration }, what + " (response fixed)", out _);
        if (fixedFit is null || !_calibrations.PrefersFixedResponse(free, fixedFit)) return (free, null);
        Interlocked.Increment(ref _calibratedFits);
        string note = $"response fixed from {source.Describe()}; free-response fit: λ = {free.Lambda.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}"
                      + (free.Converged ? "" : " (not converged)");
        return (fixedFit with { Notes = [.. fixedFit.Notes, note] }, source);
    }

    private FitResult? TryFit(Histogram1D histogram, FitOptions options, string what, out string? failure)
    {
        var clock = Stopwatch.StartNew();
        failure = null;
        try
        {
            return SpectrumFitter.Fit(histogram, options);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ArithmeticException)
        {
            // The same spectrum would fail again: it is retried only when new events changed it.
            Interlocked.Increment(ref _failedFits);
            failure = $"{e.GetType().Name}: {e.Message}";
            _log?.Warning("Fit of {What} ({Entries} entries, {Bins} bins) failed: {Message}", what, histogram.Entries, histogram.BinCount, failure);
            return null;
        }
        finally
        {
            Volatile.Write(ref _lastFitMilliseconds, clock.Elapsed.TotalMilliseconds);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _work.Set();
        if (_thread.IsAlive) _thread.Join(TimeSpan.FromSeconds(10));
        _work.Dispose();
    }
}
