using BeamDAQ.Analysis.Fitting.Likelihood;

namespace BeamDAQ.Analysis.Fitting.Minimization;

/// <summary>The deviance seen from the minimiser: a function of the free internal parameters only.</summary>
internal sealed class InternalObjective
{
    private readonly double[] _theta;
    private readonly double[] _gradient;
    private readonly double[] _fisher;

    public InternalObjective(JointDeviance deviance, ParameterSpace space, ReadOnlySpan<double> theta)
    {
        Deviance = deviance;
        Space = space;
        _theta = theta.ToArray();
        _gradient = new double[space.Count];
        _fisher = new double[space.Count * space.Count];
    }

    public JointDeviance Deviance { get; }
    public ParameterSpace Space { get; }

    /// <summary>The natural parameter vector for internal <paramref name="u"/> (a copy).</summary>
    public double[] Natural(ReadOnlySpan<double> u)
    {
        var theta = (double[])_theta.Clone();
        Space.ToNatural(u, theta);
        return theta;
    }

    public double Value(ReadOnlySpan<double> u)
    {
        if (!Space.IsInside(u)) return double.PositiveInfinity;
        Space.ToNatural(u, _theta);
        double d = Deviance.Value(_theta);
        return double.IsFinite(d) ? d : double.PositiveInfinity;
    }

    /// <summary>Deviance, gradient in u, and Fisher information in u (row-major, free×free).</summary>
    public double Evaluate(ReadOnlySpan<double> u, Span<double> gradient, Span<double> fisher)
    {
        if (!Space.IsInside(u)) return double.PositiveInfinity;
        Space.ToNatural(u, _theta);
        double d = Deviance.Evaluate(_theta, _gradient, fisher.IsEmpty ? default : _fisher);
        int n = Space.Count, m = Space.FreeCount;
        var index = Space.FreeIndex;
        for (int a = 0; a < m; a++)
        {
            double ja = Space.Derivative(a, u[a]);
            gradient[a] = _gradient[index[a]] * ja;
            if (fisher.IsEmpty) continue;
            for (int b = 0; b < m; b++)
                fisher[a * m + b] = _fisher[index[a] * n + index[b]] * ja * Space.Derivative(b, u[b]);
        }
        return double.IsFinite(d) ? d : double.PositiveInfinity;
    }
}
