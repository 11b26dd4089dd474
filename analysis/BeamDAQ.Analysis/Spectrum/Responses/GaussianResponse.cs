using System.Numerics;

namespace BeamDAQ.Analysis.Spectrum.Responses;

/// <summary>
/// Gaussian single-electron response: mean <c>gain</c>, width <c>sigma1</c>. With the Gaussian noise σ0 the
/// n-electron peak has σ_n² = σ0² + n σ1². φ1(t) = exp(i g t − σ1² t²/2).
/// </summary>
public sealed class GaussianResponse : SingleElectronResponse
{
    private static readonly ParameterSpec[] Specs =
    [
        new("gain", ParameterKind.Positive, "mean amplitude of one electron"),
        new("sigma1", ParameterKind.Positive, "Gaussian width of one electron's amplitude"),
    ];

    public override string Name => "gauss";
    public override IReadOnlyList<ParameterSpec> Parameters => Specs;

    public override (double Mean, double SecondMoment) Moments(ReadOnlySpan<double> p) => (p[0], p[0] * p[0] + p[1] * p[1]);

    public override double MaximumAmplitude(ReadOnlySpan<double> p) => double.PositiveInfinity;

    public override double[] Seed(double meanAmplitude) => [meanAmplitude, 0.15 * meanAmplitude];

    public override ResponseEvaluator CreateEvaluator(FrequencyGrid grid) => new Evaluator(grid);

    private sealed class Evaluator(FrequencyGrid grid) : ResponseEvaluator(grid)
    {
        public override void Evaluate(ReadOnlySpan<double> p, int count, Span<Complex> phi, Complex[][]? derivatives)
        {
            double gain = p[0], sigma = p[1], step = Grid.Step;
            for (int m = 0; m < count; m++)
            {
                double t = m * step;
                var value = Complex.FromPolarCoordinates(Math.Exp(-0.5 * sigma * sigma * t * t), gain * t);
                phi[m] = value;
                if (derivatives is null) continue;
                derivatives[0][m] = new Complex(0, t) * value;
                derivatives[1][m] = -sigma * t * t * value;
            }
        }
    }
}
