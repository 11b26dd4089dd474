using MathNet.Numerics;

namespace BeamDAQ.Analysis.Characterization;

/// <summary>
/// Weighted least-squares fits of characterization curves (weights 1/σ²). The linear model is solved in closed
/// form. The threshold models are linear in the slope a for a fixed threshold x0, so a is profiled out exactly and
/// χ²(x0) is minimised in one dimension (a fine grid, then golden-section refinement) — no start values to guess
/// and no trouble with the kink at x0. Errors come from the inverse of JᵀWJ at the minimum.
/// </summary>
public static class CurveFitter
{
    private const int GridSteps = 4000;

    public static CurveFitResult Fit(CurveModel model, IReadOnlyList<CurvePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            string name = p.Label ?? $"point {i + 1}";
            if (!double.IsFinite(p.X) || !double.IsFinite(p.Y))
                return CurveFitResult.Failed(model, points.Count, $"{name} has a non-finite value (x = {p.X}, y = {p.Y})");
            if (!(p.YError > 0) || !double.IsFinite(p.YError))
                return CurveFitResult.Failed(model, points.Count, $"{name} has uncertainty {p.YError}; a weighted fit needs a positive finite uncertainty");
        }
        if (points.Count < 2)
            return CurveFitResult.Failed(model, points.Count, $"a two-parameter curve needs at least 2 points, got {points.Count}");
        double xMin = points.Min(p => p.X), xMax = points.Max(p => p.X);
        if (xMin == xMax)
            return CurveFitResult.Failed(model, points.Count, $"all points are at x = {xMin}; a curve needs at least two distinct x");

        return model == CurveModel.Linear ? FitLinear(points) : FitThreshold(model, points, xMin, xMax);
    }

    private static CurveFitResult FitLinear(IReadOnlyList<CurvePoint> points)
    {
        double s = 0, sx = 0, sxx = 0, sy = 0, sxy = 0;
        foreach (var p in points)
        {
            double w = 1 / (p.YError * p.YError);
            s += w; sx += w * p.X; sxx += w * p.X * p.X; sy += w * p.Y; sxy += w * p.X * p.Y;
        }
        double delta = s * sxx - sx * sx;
        double slope = (s * sxy - sx * sy) / delta;
        double intercept = (sxx * sy - sx * sxy) / delta;
        var covariance = new double[,] { { s / delta, -sx / delta }, { -sx / delta, sxx / delta } };
        return Finish(CurveModel.Linear, points, slope, intercept, covariance, null);
    }

    private static CurveFitResult FitThreshold(CurveModel model, IReadOnlyList<CurvePoint> points, double xMin, double xMax)
    {
        // x0 must leave at least one point above it; below the lowest point it is allowed to go some way, since a
        // threshold just under the scanned range is a legitimate answer.
        double span = xMax - xMin;
        double low = xMin - 3 * span;
        double high = xMax - 1e-9 * span;
        double step = (high - low) / GridSteps;
        int best = 0;
        double bestChi = double.PositiveInfinity;
        for (int k = 0; k <= GridSteps; k++)
        {
            double chi = ProfileChiSquare(model, points, low + k * step, out _);
            if (chi < bestChi) { bestChi = chi; best = k; }
        }
        if (double.IsPositiveInfinity(bestChi))
            return CurveFitResult.Failed(model, points.Count, "no threshold leaves a point with a non-zero model value");

        double x0 = GoldenSection(x => ProfileChiSquare(model, points, x, out _), low + Math.Max(0, best - 1) * step, low + Math.Min(GridSteps, best + 1) * step);
        ProfileChiSquare(model, points, x0, out double a);

        string? problem = best == 0
            ? $"the threshold runs to the search limit x0 = {low:G6}, far below the lowest point x = {xMin:G6}: the data do not constrain it (try --model linear)"
            : null;

        // Jacobian of the model in (a, x0): ∂f/∂a = g, ∂f/∂x0 = −a·g′.
        int power = model == CurveModel.ThresholdLinear ? 1 : 2;
        double h00 = 0, h01 = 0, h11 = 0;
        foreach (var p in points)
        {
            double d = p.X - x0;
            if (d <= 0) continue;
            double w = 1 / (p.YError * p.YError);
            double g = power == 1 ? d : d * d;
            double dx0 = -a * (power == 1 ? 1 : 2 * d);
            h00 += w * g * g; h01 += w * g * dx0; h11 += w * dx0 * dx0;
        }
        double det = h00 * h11 - h01 * h01;
        var covariance = det > 0
            ? new double[,] { { h11 / det, -h01 / det }, { -h01 / det, h00 / det } }
            : new double[,] { { double.NaN, double.NaN }, { double.NaN, double.NaN } };
        if (problem is null && !(det > 0))
            problem = "the curvature matrix is singular (too few points above the threshold to determine both a and x0)";
        return Finish(model, points, a, x0, covariance, problem);
    }

    /// <summary>χ² at threshold <paramref name="x0"/> with the slope at its best value <paramref name="a"/>.</summary>
    private static double ProfileChiSquare(CurveModel model, IReadOnlyList<CurvePoint> points, double x0, out double a)
    {
        double swyg = 0, swgg = 0, swyy = 0;
        foreach (var p in points)
        {
            double w = 1 / (p.YError * p.YError);
            double d = Math.Max(0, p.X - x0);
            double g = model == CurveModel.ThresholdLinear ? d : d * d;
            swyg += w * p.Y * g;
            swgg += w * g * g;
            swyy += w * p.Y * p.Y;
        }
        if (swgg <= 0)
        {
            a = double.NaN;
            return double.PositiveInfinity;
        }
        a = swyg / swgg;
        return Math.Max(0, swyy - swyg * swyg / swgg);
    }

    private static double GoldenSection(Func<double, double> f, double a, double b)
    {
        double ratio = (Math.Sqrt(5) - 1) / 2;
        double c = b - ratio * (b - a), d = a + ratio * (b - a);
        double fc = f(c), fd = f(d);
        for (int i = 0; i < 200 && Math.Abs(b - a) > 1e-12 * (1 + Math.Abs(a) + Math.Abs(b)); i++)
        {
            if (fc < fd) { b = d; d = c; fd = fc; c = b - ratio * (b - a); fc = f(c); }
            else { a = c; c = d; fc = fd; d = a + ratio * (b - a); fd = f(d); }
        }
        return (a + b) / 2;
    }

    private static CurveFitResult Finish(CurveModel model, IReadOnlyList<CurvePoint> points, double first, double second, double[,] covariance, string? problem)
    {
        double chi = 0;
        foreach (var p in points)
        {
            double r = (p.Y - model.Evaluate(p.X, first, second)) / p.YError;
            chi += r * r;
        }
        int ndf = points.Count - 2;
        double pValue = ndf > 0 ? SpecialFunctions.GammaUpperRegularized(ndf / 2.0, chi / 2) : double.NaN;
        return new CurveFitResult(model, model.ParameterNames(), [first, second],
            [Math.Sqrt(covariance[0, 0]), Math.Sqrt(covariance[1, 1])], covariance, chi, ndf, pValue, points.Count, problem);
    }
}
