namespace BeamDAQ.Analysis.Validation;

/// <summary>
/// A toy Monte Carlo validation: every (λ, bunches) point gets <see cref="Toys"/> independent toys sampled by
/// <see cref="ToyGenerator"/> from <see cref="Truth"/> and fitted with the truncated-Landau response. From
/// <see cref="CalibrateFromLambda"/> on, each toy first fits its own calibration toy at
/// <see cref="CalibrationLambda"/> (same bunch count, response free) and fixes the response from it with its
/// covariance — the gain–λ degeneracy of high-λ spectra makes a free response meaningless there.
/// </summary>
public sealed record ValidationSettings
{
    public static readonly double[] DefaultLambdas = [0.05, 0.3, 0.7, 1.6, 2.2, 2.8, 5, 8.7, 15];
    public static readonly int[] DefaultBunches = [1000, 3000, 10000];

    public IReadOnlyList<double> Lambdas { get; init; } = DefaultLambdas;
    public IReadOnlyList<int> Bunches { get; init; } = DefaultBunches;
    public int Toys { get; init; } = 500;
    public int Seed { get; init; } = 1;
    public double CalibrationLambda { get; init; } = 2.0;
    public double CalibrateFromLambda { get; init; } = 5.0;
    public int MaxThreads { get; init; } = Environment.ProcessorCount;
    public bool ProfileInterval { get; init; } = true;
    public Func<double, ToySpectrumSettings> Truth { get; init; } = ToySpectrumSettings.Leetech;
}

/// <summary>One fitted toy: λ̂, its error, interval, and whether it converged (a failed calibration counts as not converged, with why).</summary>
public readonly record struct ToyOutcome(bool Converged, double Lambda, double Error, double Lower, double Upper, double Milliseconds, string? Failure = null);

/// <summary>
/// The statistics of one validation point. Pulls (λ̂ − λ)/σ̂ use the Hesse error (calibration included);
/// coverage is the fraction of profile-likelihood intervals holding the true λ. Each figure comes with its
/// statistical uncertainty from the finite number of toys.
/// </summary>
public sealed record PointSummary(
    double Lambda,
    int Bunches,
    bool Calibrated,
    int Toys,
    int Converged,
    double MeanLambda,
    double Bias,
    double BiasError,
    double PullMean,
    double PullMeanError,
    double PullWidth,
    double PullWidthError,
    double Coverage,
    double CoverageError,
    double MeanError,
    double MedianMilliseconds,
    IReadOnlyList<string> Failures)
{
    public double ConvergenceFraction => Toys == 0 ? 0 : (double)Converged / Toys;

    /// <summary>The targets of the validation: convergence ≥ 99.5 %, |pull mean| ≤ 0.1, pull width 1.00 ± 0.07, coverage 68 ± 3 %.</summary>
    public IReadOnlyList<string> Misses()
    {
        var misses = new List<string>();
        if (ConvergenceFraction < 0.995) misses.Add($"convergence {100 * ConvergenceFraction:F1} % < 99.5 %");
        if (!(Math.Abs(PullMean) <= 0.1)) misses.Add($"pull mean {PullMean:F3}");
        if (!(Math.Abs(PullWidth - 1) <= 0.07)) misses.Add($"pull width {PullWidth:F3}");
        if (!(Math.Abs(Coverage - 0.6827) <= 0.03)) misses.Add($"coverage {100 * Coverage:F1} %");
        return misses;
    }
}
