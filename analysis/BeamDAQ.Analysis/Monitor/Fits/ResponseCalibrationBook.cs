using BeamDAQ.Analysis.Fitting.Calibration;
using BeamDAQ.Analysis.Fitting.Results;

namespace BeamDAQ.Analysis.Monitor.Fits;

/// <summary>A run's final fit kept as the single-electron response for later high-λ fits of the same channel and settings.</summary>
public sealed record CalibrationSource(int ChannelId, ulong? Run, string Key, double Lambda, double LambdaError, long Events,
    double GainRelativeError, ResponseCalibration Calibration)
{
    /// <summary>How the fit says where its response came from, e.g. "run 5 (λ = 0.614 ± 0.058, 200 bunches)".</summary>
    public string Describe() => FormattableString.Invariant(
        $"{(Run is { } r ? $"run {r}" : "an unnumbered run")} (λ = {Lambda:F3} ± {LambdaError:F3}, {Events:N0} bunches)");
}

/// <summary>
/// The live monitor's answer to DESIGN §6's degeneracy: at high λ the merged peaks leave gain and λ degenerate,
/// so the response is fixed from a low-λ run. Every converged final fit of a run with λ in
/// [<see cref="MinimumLambda"/>, <see cref="MaximumLambda"/>] offers its response; per channel and
/// <see cref="CalibrationKey"/> the most precise one (smallest relative error of the gain) is kept — the longest
/// run at the best λ for calibrating, not merely the last. Every later fit at those settings is also made with that
/// response fixed, and <see cref="PrefersFixedResponse"/> says which of the two to show. Thread-safe; bounded to
/// <see cref="Capacity"/> keys.
/// </summary>
public sealed class ResponseCalibrationBook
{
    public const int Capacity = 32;

    private readonly Lock _gate = new();
    private readonly Dictionary<(int Channel, string Key), CalibrationSource> _sources = new();
    private readonly Queue<(int Channel, string Key)> _order = new();

    public ResponseCalibrationBook(double fixAboveLambda = 5, double minimumLambda = ResponseCalibration.MinimumLambda, double maximumLambda = ResponseCalibration.MaximumLambda)
    {
        if (!(minimumLambda > 0) || !(maximumLambda > minimumLambda))
            throw new ArgumentOutOfRangeException(nameof(maximumLambda), $"the calibration range {minimumLambda}–{maximumLambda} must be positive and not empty");
        FixAboveLambda = fixAboveLambda;
        MinimumLambda = minimumLambda;
        MaximumLambda = maximumLambda;
    }

    public double FixAboveLambda { get; }
    /// <summary>Below it too few bunches see an electron for the response to be measured.</summary>
    public double MinimumLambda { get; }
    /// <summary>Above it the response of the calibration run itself starts to be degenerate with λ.</summary>
    public double MaximumLambda { get; }

    /// <summary>Keeps <paramref name="fit"/>'s response when it is a usable calibration and better than the one held; true when kept.</summary>
    public bool Offer(int channelId, ulong? run, string key, FitResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        if (!fit.Converged || fit.LambdaErrorCalibration > 0) return false;   // a fixed-response fit measured no response
        if (!(fit.Lambda >= MinimumLambda && fit.Lambda <= MaximumLambda)) return false;
        var gain = fit.Gain;
        double relative = gain.Value != 0 ? Math.Abs(gain.Error / gain.Value) : double.NaN;
        if (!double.IsFinite(relative) || relative <= 0) return false;
        var candidate = new CalibrationSource(channelId, run, key, fit.Lambda, fit.LambdaError, fit.Events, relative,
            ResponseCalibration.FromFit(fit, run is { } r ? $"run {r}" : "live fit"));
        lock (_gate)
        {
            var slot = (channelId, key);
            if (_sources.TryGetValue(slot, out var held) && held.GainRelativeError <= relative) return false;
            if (!_sources.ContainsKey(slot))
            {
                _order.Enqueue(slot);
                if (_order.Count > Capacity) _sources.Remove(_order.Dequeue());
            }
            _sources[slot] = candidate;
            return true;
        }
    }

    public CalibrationSource? For(int channelId, string key)
    {
        lock (_gate) return _sources.GetValueOrDefault((channelId, key));
    }

    public IReadOnlyList<CalibrationSource> All()
    {
        lock (_gate) return _sources.Values.OrderBy(s => s.ChannelId).ThenBy(s => s.Run).ToList();
    }

    /// <summary>
    /// Whether to show the fit with the calibration's response fixed rather than the free-response fit of the same
    /// spectrum: when either puts λ at or above <see cref="FixAboveLambda"/> (a free fit can settle on a
    /// multiple of the gain and a fraction of λ, with the pedestal moved onto the first merged peak, so its own λ
    /// alone does not tell), when the free fit did not converge, or when its λ and gain are degenerate. Below
    /// that the free fit is kept: it follows a gain that drifted since the calibration run.
    /// </summary>
    public bool PrefersFixedResponse(FitResult free, FitResult fixedResponse)
    {
        ArgumentNullException.ThrowIfNull(free);
        ArgumentNullException.ThrowIfNull(fixedResponse);
        if (!fixedResponse.Converged) return false;
        if (!free.Converged || free.Lambda >= FixAboveLambda || fixedResponse.Lambda >= FixAboveLambda) return true;
        var gain = free.Gain;
        return gain.Source == ParameterSource.Fitted && Math.Abs(free.CorrelationOf("lambda", gain.Name)) > Fitting.FitEngine.DegeneracyCorrelation;
    }
}
