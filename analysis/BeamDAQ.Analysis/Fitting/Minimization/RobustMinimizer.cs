namespace BeamDAQ.Analysis.Fitting.Minimization;

/// <summary>
/// The minimisation strategy of every fit: Fisher scoring (Levenberg–Marquardt) from the seeds; if it does
/// not converge, BFGS then Nelder–Mead, each finished by Fisher scoring; if still nothing converged, restarts
/// from seeds perturbed by the injected random source. The lowest converged deviance wins.
/// </summary>
internal static class RobustMinimizer
{
    /// <param name="explore">Run every restart even after a convergence and keep the lowest deviance (used
    /// when the first minimum fits badly and may be a local one).</param>
    public static MinimizationOutcome Minimize(InternalObjective objective, double[] theta, Random random, int restarts,
        List<string> log, bool quasiNewtonOnly = false, bool explore = false)
    {
        var start = objective.Space.ToInternal(theta);
        MinimizationOutcome? best = null;
        for (int attempt = explore ? 1 : 0; attempt <= restarts; attempt++)
        {
            var u = attempt == 0 ? start : Perturb(start, objective.Space, random);
            var outcome = quasiNewtonOnly ? Finish(objective, QuasiNewtonFallback.Bfgs(objective, u), log) : LevenbergMarquardt.Minimize(objective, u);
            if (!outcome.Converged)
            {
                log.Add($"attempt {attempt}: {outcome.Method} did not converge ({outcome.Reason}); trying BFGS");
                outcome = Finish(objective, QuasiNewtonFallback.Bfgs(objective, u), log);
            }
            if (!outcome.Converged)
            {
                log.Add($"attempt {attempt}: BFGS did not converge ({outcome.Reason}); trying Nelder-Mead");
                outcome = Finish(objective, QuasiNewtonFallback.Simplex(objective, u), log);
            }
            if (best is null || (outcome.Converged && (!best.Converged || outcome.Deviance < best.Deviance - 1e-9)))
                best = outcome;
            if (best.Converged && !explore) break;
            if (!best.Converged) log.Add($"attempt {attempt}: no method converged; restarting from perturbed seeds");
        }
        return best!;
    }

    /// <summary>Hands a fall-back's point to Fisher scoring so the convergence criterion is always the EDM.</summary>
    private static MinimizationOutcome Finish(InternalObjective objective, MinimizationOutcome outcome, List<string> log)
    {
        var polished = LevenbergMarquardt.Minimize(objective, objective.Space.ToInternal(outcome.Theta));
        if (polished.Converged) return polished with { Method = outcome.Method + "+levenberg-marquardt", Iterations = outcome.Iterations + polished.Iterations };
        log.Add($"{outcome.Method} ended at deviance {outcome.Deviance:G6}: {outcome.Reason}; polishing did not converge ({polished.Reason})");
        return polished.Deviance < outcome.Deviance ? polished : outcome with { Converged = false };
    }

    private static double[] Perturb(double[] start, ParameterSpace space, Random random)
    {
        var u = (double[])start.Clone();
        for (int f = 0; f < u.Length; f++)
        {
            double gauss = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            u[f] = space.Kinds[f] switch
            {
                Spectrum.ParameterKind.Positive => u[f] + 0.3 * gauss,                 // ±30 %
                Spectrum.ParameterKind.NonNegative => Math.Abs(u[f] * (1 + 0.5 * gauss)),
                _ => u[f] + 0.05 * (Math.Abs(u[f]) + 1) * gauss,
            };
        }
        return u;
    }
}
