namespace BeamDAQ.Analysis.Fitting.Likelihood;

/// <summary>
/// The extended binned Poisson likelihood of one or more histograms as a likelihood-ratio deviance
/// (Baker–Cousins): D = 2 Σ_i [ν_i − n_i + n_i ln(n_i/ν_i)], ν_i = N·P_i over bins, underflow and overflow.
/// D is χ²-like (its minimum is a goodness-of-fit statistic and ΔD = 1 is one standard deviation). The total
/// N is the maximum-likelihood value of the extended normalisation, which is uncorrelated with the shape
/// parameters, so it is profiled exactly rather than fitted. With derivatives it also returns the gradient
/// and the expected (Fisher) information 2 Σ ∂ν ∂νᵀ/ν, which the Levenberg–Marquardt steps use.
/// </summary>
internal sealed class JointDeviance
{
    private const double FloorExpectation = 1e-300;
    private readonly SpectrumTerm[] _terms;

    public JointDeviance(IReadOnlyList<SpectrumTerm> terms, int parameterCount)
    {
        _terms = [.. terms];
        ParameterCount = parameterCount;
    }

    public int ParameterCount { get; }
    public IReadOnlyList<SpectrumTerm> Terms => _terms;

    /// <summary>Evaluations so far (value-only and with derivatives).</summary>
    public long Evaluations { get; private set; }

    public double Value(ReadOnlySpan<double> theta)
    {
        Evaluations++;
        double total = 0;
        foreach (var term in _terms)
        {
            term.Gather(theta);
            term.Model.Evaluate(term.LocalParameters, term.Probabilities, default);
            total += TermDeviance(term);
        }
        return total;
    }

    /// <summary>Deviance, gradient ∂D/∂θ (all parameters) and Fisher information (row-major, n×n).</summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient, Span<double> fisher)
    {
        Evaluations++;
        int n = ParameterCount;
        gradient[..n].Clear();
        bool withFisher = !fisher.IsEmpty;
        if (withFisher) fisher[..(n * n)].Clear();
        double total = 0;
        foreach (var term in _terms)
        {
            term.Gather(theta);
            var model = term.Model;
            model.Evaluate(term.LocalParameters, term.Probabilities, term.Jacobian);
            total += TermDeviance(term);
            int outputs = model.OutputLength, local = model.ParameterCount;
            var p = term.Probabilities;
            var jac = term.Jacobian;
            var counts = term.Counts;
            double nTotal = term.Total;
            var map = term.GlobalIndex;
            for (int a = 0; a < local; a++)
            {
                var column = jac.AsSpan(a * outputs, outputs);
                double g = 0;
                for (int i = 0; i < outputs; i++)
                {
                    double nu = Math.Max(nTotal * p[i], FloorExpectation);
                    g += (1 - counts[i] / nu) * column[i];
                }
                gradient[map[a]] += 2 * nTotal * g;
                if (!withFisher) continue;
                for (int b = 0; b <= a; b++)
                {
                    var other = jac.AsSpan(b * outputs, outputs);
                    double f = 0;
                    for (int i = 0; i < outputs; i++)
                    {
                        double pi = p[i];
                        if (pi * nTotal > 1e-12) f += column[i] * other[i] / pi;
                    }
                    f *= 2 * nTotal;
                    int ga = map[a], gb = map[b];
                    fisher[ga * n + gb] += f;
                    if (ga != gb) fisher[gb * n + ga] += f;
                }
            }
        }
        return total;
    }

    private static double TermDeviance(SpectrumTerm term)
    {
        var p = term.Probabilities;
        var counts = term.Counts;
        double nTotal = term.Total, d = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double nu = Math.Max(nTotal * p[i], FloorExpectation);
            double k = counts[i];
            d += nu - k;
            if (k > 0) d += k * Math.Log(k / nu);
        }
        return 2 * d;
    }
}
