using BeamDAQ.Analysis.Fitting.Results;

namespace BeamDAQ.Analysis.Fitting.Errors;

/// <summary>
/// χ² and p-value of a binned Poisson fit. The deviance of bins expecting a fraction of an entry is not
/// χ²-distributed, so neighbouring bins (underflow first, overflow last) are merged until each group expects
/// at least <see cref="MinimumExpected"/>; the likelihood-ratio χ² of the groups then follows χ²(groups − 1 − free).
/// </summary>
internal static class GoodnessOfFitCalculator
{
    public const double MinimumExpected = 5;

    public static GoodnessOfFit Compute(ReadOnlySpan<double> counts, ReadOnlySpan<double> probabilities, double total, int freeParameters)
    {
        double deviance = 0;
        for (int i = 0; i < counts.Length; i++) deviance += Term(counts[i], total * probabilities[i]);

        var groups = new List<(double N, double Nu)>();
        double n = 0, nu = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            n += counts[i];
            nu += Math.Max(total * probabilities[i], 0);
            if (nu >= MinimumExpected)
            {
                groups.Add((n, nu));
                n = 0;
                nu = 0;
            }
        }
        if (groups.Count == 0) groups.Add((n, nu));
        else if (n > 0 || nu > 0) groups[^1] = (groups[^1].N + n, groups[^1].Nu + nu);
        double chi2 = 0;
        foreach (var (gn, gnu) in groups) chi2 += Term(gn, gnu);
        int ndf = groups.Count - 1 - freeParameters;
        double p = ndf > 0 ? UpperTail(ndf, chi2) : double.NaN;
        return new GoodnessOfFit(deviance, counts.Length, chi2, groups.Count, ndf, p);
    }

    /// <summary>P(χ²_ndf > x) without the cancellation of 1 − CDF for tiny p.</summary>
    public static double UpperTail(int ndf, double x) =>
        x <= 0 ? 1 : MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(0.5 * ndf, 0.5 * x);

    private static double Term(double n, double nu)
    {
        nu = Math.Max(nu, 1e-300);
        return 2 * (nu - n + (n > 0 ? n * Math.Log(n / nu) : 0));
    }
}
