using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace BeamDAQ.Analysis.Fitting.Minimization;

/// <summary>
/// The fall-backs when Fisher scoring does not converge (a poor seed, a flat direction): MathNet.Numerics'
/// BFGS quasi-Newton on the internal parameters with the analytic gradient, and if that fails too, its
/// Nelder–Mead simplex, which needs no derivatives at all. Each result is handed back to Fisher scoring to
/// finish, so the EDM criterion and the error matrix are the same whichever method found the valley.
/// </summary>
internal static class QuasiNewtonFallback
{
    public static MinimizationOutcome Bfgs(InternalObjective objective, double[] start)
    {
        int m = objective.Space.FreeCount;
        var gradient = new double[m];
        var function = ObjectiveFunction.Gradient(x =>
        {
            var u = x.ToArray();
            double value = objective.Evaluate(u, gradient, default);
            if (!double.IsFinite(value)) return (1e300, Vector<double>.Build.Dense(m));
            return (value, Vector<double>.Build.Dense((double[])gradient.Clone()));
        });
        try
        {
            var minimizer = new BfgsMinimizer(1e-5, 1e-10, 1e-12, 1000);
            var result = minimizer.FindMinimum(function, Vector<double>.Build.Dense(start));
            var u = result.MinimizingPoint.ToArray();
            return new MinimizationOutcome(true, objective.Natural(u), result.FunctionInfoAtMinimum.Value, double.NaN,
                result.Iterations, "bfgs", result.ReasonForExit.ToString());
        }
        catch (Exception e) when (e is MaximumIterationsException or EvaluationException or InnerOptimizationException or ArgumentException)
        {
            return new MinimizationOutcome(false, objective.Natural(start), objective.Value(start), double.NaN, 0, "bfgs", e.Message);
        }
    }

    public static MinimizationOutcome Simplex(InternalObjective objective, double[] start)
    {
        var function = ObjectiveFunction.Value(x =>
        {
            double value = objective.Value(x.ToArray());
            return double.IsFinite(value) ? value : 1e300;
        });
        try
        {
            // Internal parameters are logs or amplitudes: a 5 % step is a sensible first simplex.
            var perturbation = Vector<double>.Build.Dense(start.Select(v => Math.Max(0.05, 0.05 * Math.Abs(v))).ToArray());
            var result = new NelderMeadSimplex(1e-9, 20000).FindMinimum(function, Vector<double>.Build.Dense(start), perturbation);
            var u = result.MinimizingPoint.ToArray();
            return new MinimizationOutcome(true, objective.Natural(u), result.FunctionInfoAtMinimum.Value, double.NaN,
                result.Iterations, "nelder-mead", result.ReasonForExit.ToString());
        }
        catch (Exception e) when (e is MaximumIterationsException or EvaluationException or ArgumentException)
        {
            return new MinimizationOutcome(false, objective.Natural(start), objective.Value(start), double.NaN, 0, "nelder-mead", e.Message);
        }
    }
}
