using System.Numerics;

namespace BeamDAQ.Analysis.Spectrum.Responses;

/// <summary>
/// The amplitude distribution of one electron (before noise and pedestal), described by its characteristic
/// function φ1(t). The compound-Poisson model only ever needs φ1 and its parameter derivatives on a
/// <see cref="FrequencyGrid"/>, which is what makes every response (analytic, truncated, template) equally exact.
/// Instances are immutable and thread-safe; per-model buffers live in the <see cref="ResponseEvaluator"/>.
/// </summary>
public abstract class SingleElectronResponse
{
    /// <summary>The response's name as given on the command line (<c>landau</c>, <c>gauss</c>, <c>template:FILE</c>...).</summary>
    public abstract string Name { get; }

    /// <summary>The response's parameters, in the order used by every method.</summary>
    public abstract IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>Index of the parameter reported as "gain" (the amplitude scale).</summary>
    public virtual int GainIndex => 0;

    /// <summary>Unit of the gain parameter, given the amplitude unit.</summary>
    public virtual string GainUnit(string amplitudeUnit) => amplitudeUnit;

    /// <summary>E[X] and E[X²] of one electron's amplitude; NaN when they do not exist (untruncated Landau).</summary>
    public abstract (double Mean, double SecondMoment) Moments(ReadOnlySpan<double> parameters);

    /// <summary>Largest amplitude one electron can give (the truncation), or +∞.</summary>
    public abstract double MaximumAmplitude(ReadOnlySpan<double> parameters);

    /// <summary>Parameters whose mean single-electron amplitude is <paramref name="meanAmplitude"/> (fit seeds).</summary>
    public abstract double[] Seed(double meanAmplitude);

    /// <summary>A new evaluator with its own buffers for this grid.</summary>
    public abstract ResponseEvaluator CreateEvaluator(FrequencyGrid grid);

    public override string ToString() => Name;
}

/// <summary>Evaluates φ1 (and derivatives) on one frequency grid; owns scratch buffers, so one per thread.</summary>
public abstract class ResponseEvaluator
{
    protected ResponseEvaluator(FrequencyGrid grid) => Grid = grid;

    public FrequencyGrid Grid { get; }

    /// <summary>
    /// Fills φ1(t_m) for m &lt; <paramref name="count"/> and, when <paramref name="derivatives"/> is given,
    /// ∂φ1/∂θ_k (t_m) into derivatives[k].
    /// </summary>
    public abstract void Evaluate(ReadOnlySpan<double> parameters, int count, Span<Complex> phi, Complex[][]? derivatives);
}
