using BeamDAQ.Analysis.Spectrum;

namespace BeamDAQ.Analysis.Fitting.Minimization;

/// <summary>
/// The free parameters of a fit and their unbounded internal form: ln θ for positive parameters, θ itself
/// for real ones and for non-negative ones (whose bound the minimiser holds by projection). Fixed
/// parameters keep their values in the natural vector and never reach the minimiser.
/// </summary>
internal sealed class ParameterSpace
{
    public ParameterSpace(IReadOnlyList<ParameterSpec> specs, IReadOnlyList<bool> free)
    {
        Specs = specs;
        FreeIndex = Enumerable.Range(0, specs.Count).Where(i => free[i]).ToArray();
        Kinds = FreeIndex.Select(i => specs[i].Kind).ToArray();
    }

    public IReadOnlyList<ParameterSpec> Specs { get; }
    public int[] FreeIndex { get; }
    public ParameterKind[] Kinds { get; }
    public int Count => Specs.Count;
    public int FreeCount => FreeIndex.Length;

    public double[] ToInternal(ReadOnlySpan<double> theta)
    {
        var u = new double[FreeCount];
        for (int f = 0; f < FreeCount; f++)
        {
            double v = theta[FreeIndex[f]];
            u[f] = Kinds[f] switch
            {
                ParameterKind.Positive => Math.Log(Math.Max(v, 1e-300)),
                ParameterKind.NonNegative => Math.Max(v, 0),
                _ => v,
            };
        }
        return u;
    }

    /// <summary>Writes the free parameters of <paramref name="u"/> into <paramref name="theta"/> (fixed ones untouched).</summary>
    public void ToNatural(ReadOnlySpan<double> u, Span<double> theta)
    {
        for (int f = 0; f < FreeCount; f++)
            theta[FreeIndex[f]] = Kinds[f] switch
            {
                ParameterKind.Positive => Math.Exp(u[f]),
                ParameterKind.NonNegative => Math.Max(u[f], 0),
                _ => u[f],
            };
    }

    /// <summary>dθ/du of free parameter <paramref name="f"/> at internal value <paramref name="u"/>.</summary>
    public double Derivative(int f, double u) => Kinds[f] == ParameterKind.Positive ? Math.Exp(u) : 1;

    /// <summary>Internal values stay where the model is defined (no overflow of exp).</summary>
    public bool IsInside(ReadOnlySpan<double> u)
    {
        for (int f = 0; f < FreeCount; f++)
        {
            if (!double.IsFinite(u[f])) return false;
            if (Kinds[f] == ParameterKind.Positive && (u[f] > 600 || u[f] < -600)) return false;
        }
        return true;
    }
}
