using System.Diagnostics;
using BeamDAQ.Analysis.Fitting;
using BeamDAQ.Analysis.Fitting.Calibration;
using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Spectrum.Responses;

namespace BeamDAQ.Analysis.Validation;

/// <summary>
/// Runs the toy Monte Carlo of <see cref="ValidationSettings"/> on all cores: all toys of all points in one
/// parallel loop, each with its own seeded random source (toy k of point p always sees the same numbers,
/// whatever the thread count), then the per-point statistics.
/// </summary>
public static class ToyValidation
{
    public static IReadOnlyList<PointSummary> Run(ValidationSettings settings, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var points = settings.Lambdas.SelectMany(l => settings.Bunches.Select(b => (Lambda: l, Bunches: b))).ToArray();
        int toys = settings.Toys;
        var outcomes = new ToyOutcome[points.Length][];
        for (int p = 0; p < points.Length; p++) outcomes[p] = new ToyOutcome[toys];
        int done = 0;
        Parallel.For(0, points.Length * toys,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.MaxThreads), CancellationToken = cancellation },
            index =>
            {
                int p = index / toys, k = index % toys;
                try
                {
                    outcomes[p][k] = RunToy(settings, points[p].Lambda, points[p].Bunches, p, k);
                }
                catch (Exception e) when (e is ArithmeticException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
                {
                    // A toy that breaks the fit is a failed toy, counted and reported, not the end of the validation.
                    outcomes[p][k] = new ToyOutcome(false, double.NaN, double.NaN, double.NaN, double.NaN, 0, $"{e.GetType().Name}: {e.Message}");
                }
                progress?.Report(Interlocked.Increment(ref done));
            });
        return points.Select((point, p) => Summarize(point.Lambda, point.Bunches, point.Lambda >= settings.CalibrateFromLambda, outcomes[p])).ToArray();
    }

    /// <summary>One toy (and, at high λ, its calibration toy) fitted.</summary>
    public static ToyOutcome RunToy(ValidationSettings settings, double lambda, int bunches, int point, int toy)
    {
        var clock = Stopwatch.StartNew();
        var random = new SplitMixRandom(ToySeed(settings.Seed, point, toy));
        var truth = settings.Truth(lambda);
        var response = new TruncatedLandauResponse(truth.CapInMostProbable);
        var options = new FitOptions { Response = response, ProfileInterval = settings.ProfileInterval, Restarts = 3, RandomSeed = toy };

        double? scale = null;
        if (lambda >= settings.CalibrateFromLambda)
        {
            var calibrationTruth = settings.Truth(settings.CalibrationLambda);
            var calibrationData = ToyGenerator.Generate(calibrationTruth, bunches, random);
            var calibrationFit = SpectrumFitter.Fit(Histogram1D.FromSpectrum(calibrationData), options with { ProfileInterval = false });
            if (!calibrationFit.Converged) return new ToyOutcome(false, double.NaN, double.NaN, double.NaN, double.NaN, clock.Elapsed.TotalMilliseconds, "calibration: " + calibrationFit.StatusReason);
            options = options with { Calibration = ResponseCalibration.FromFit(calibrationFit, "calibration toy") };
            scale = calibrationFit.MeanMethod?.SingleElectronMean;
        }

        var data = ToyGenerator.Generate(truth, bunches, random);
        var fit = SpectrumFitter.Fit(Histogram1D.FromSpectrum(data, scale), options);
        return new ToyOutcome(fit.Converged, fit.Lambda, fit.LambdaError, fit.LambdaLower, fit.LambdaUpper, clock.Elapsed.TotalMilliseconds,
            fit.Converged ? null : fit.StatusReason);
    }

    /// <summary>
    /// The seed of toy <paramref name="toy"/> of point <paramref name="point"/> — not from <see cref="HashCode"/>,
    /// which is randomised per process and would make toys irreproducible between runs.
    /// </summary>
    public static ulong ToySeed(int seed, int point, int toy) =>
        (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)point << 32 ^ (uint)toy;

    public static PointSummary Summarize(double lambda, int bunches, bool calibrated, IReadOnlyList<ToyOutcome> outcomes)
    {
        var good = outcomes.Where(o => o.Converged && double.IsFinite(o.Lambda) && o.Error > 0).ToArray();
        int n = good.Length;
        var failures = outcomes.Where(o => !o.Converged).GroupBy(o => o.Failure ?? "no error estimate")
            .Select(g => $"{g.Count()}× {g.Key}").ToArray();
        if (n < 2)
            return new PointSummary(lambda, bunches, calibrated, outcomes.Count, n, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
                double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, failures);
        var estimates = good.Select(o => o.Lambda).ToArray();
        var pulls = good.Select(o => (o.Lambda - lambda) / o.Error).ToArray();
        double meanLambda = estimates.Average();
        double sdLambda = StandardDeviation(estimates);
        double pullMean = pulls.Average();
        double pullWidth = StandardDeviation(pulls);
        double coverage = good.Count(o => o.Lower <= lambda && lambda <= o.Upper) / (double)n;
        var times = outcomes.Select(o => o.Milliseconds).OrderBy(t => t).ToArray();
        return new PointSummary(
            lambda, bunches, calibrated, outcomes.Count, n,
            meanLambda,
            meanLambda - lambda,
            sdLambda / Math.Sqrt(n),
            pullMean,
            pullWidth / Math.Sqrt(n),
            pullWidth,
            pullWidth / Math.Sqrt(2.0 * (n - 1)),
            coverage,
            Math.Sqrt(0.6827 * 0.3173 / n),
            good.Average(o => o.Error),
            times[times.Length / 2],
            failures);
    }

    private static double StandardDeviation(double[] values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}
