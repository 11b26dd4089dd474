using System.Numerics;

namespace BeamDAQ.Analysis.Spectrum.Responses;

/// <summary>
/// Any response convolved per electron with a Gaussian of width <c>sigma1</c> (Landau ⊗ Gauss, template ⊗
/// Gauss): charge-collection and gain fluctuations that grow as √n with the number of electrons.
/// </summary>
public sealed class GaussianSmearedResponse : SingleElectronResponse
{
    private readonly SingleElectronResponse _inner;
    private readonly ParameterSpec[] _specs;

    public GaussianSmearedResponse(SingleElectronResponse inner, string name)
    {
        _inner = inner;
        Name = name;
        _specs = [.. inner.Parameters, new ParameterSpec("sigma1", ParameterKind.Positive, "Gaussian smearing of one electron's amplitude")];
    }

    public SingleElectronResponse Inner => _inner;
    public override string Name { get; }
    public override IReadOnlyList<ParameterSpec> Parameters => _specs;
    public override int GainIndex => _inner.GainIndex;
    public override string GainUnit(string amplitudeUnit) => _inner.GainUnit(amplitudeUnit);

    public override (double Mean, double SecondMoment) Moments(ReadOnlySpan<double> p)
    {
        var (mean, second) = _inner.Moments(p[..^1]);
        return (mean, second + p[^1] * p[^1]);
    }

    public override double MaximumAmplitude(ReadOnlySpan<double> p) =>
        _inner.MaximumAmplitude(p[..^1]) + 6 * p[^1];

    public override double[] Seed(double meanAmplitude) => [.. _inner.Seed(meanAmplitude), 0.1 * meanAmplitude];

    public override ResponseEvaluator CreateEvaluator(FrequencyGrid grid) => new Evaluator(grid, _inner.CreateEvaluator(grid), _inner.Parameters.Count);

    private sealed class Evaluator : ResponseEvaluator
    {
        private readonly ResponseEvaluator _inner;
        private readonly Complex[][] _innerDerivatives;

        public Evaluator(FrequencyGrid grid, ResponseEvaluator inner, int innerCount) : base(grid)
        {
            _inner = inner;
            _innerDerivatives = new Complex[innerCount][];
            for (int k = 0; k < innerCount; k++) _innerDerivatives[k] = new Complex[grid.Count];
        }

        public override void Evaluate(ReadOnlySpan<double> p, int count, Span<Complex> phi, Complex[][]? derivatives)
        {
            int innerCount = _innerDerivatives.Length;
            _inner.Evaluate(p[..innerCount], count, phi, derivatives is null ? null : _innerDerivatives);
            double sigma = p[innerCount], step = Grid.Step;
            for (int m = 0; m < count; m++)
            {
                double t = m * step;
                double factor = Math.Exp(-0.5 * sigma * sigma * t * t);
                phi[m] *= factor;
                if (derivatives is null) continue;
                for (int k = 0; k < innerCount; k++) derivatives[k][m] = _innerDerivatives[k][m] * factor;
                derivatives[innerCount][m] = -sigma * t * t * phi[m];
            }
        }
    }
}
