using System.Numerics;

namespace BeamDAQ.Analysis.Spectrum.Responses;

/// <summary>
/// Untruncated Landau response with most probable amplitude <c>mpv</c> and width ξ = <c>width</c>·mpv:
/// X = mpv + ξ(Y − y_mp), Y standard Landau, so φ1(t) = exp(i t mpv(1 − w y_mp)) φ_L(ξ t) in closed form.
/// Its mean is infinite (the 1/x² tail), so the mean-method cross-check does not apply, and mass beyond the
/// model's amplitude window wraps round it; the physical response is <see cref="TruncatedLandauResponse"/>.
/// </summary>
public sealed class LandauResponse : SingleElectronResponse
{
    private static readonly ParameterSpec[] Specs =
    [
        new("mpv", ParameterKind.Positive, "most probable amplitude of one electron"),
        new("width", ParameterKind.Positive, "Landau width ξ in units of the most probable amplitude"),
    ];

    public override string Name => "landau-untruncated";
    public override IReadOnlyList<ParameterSpec> Parameters => Specs;

    public override (double Mean, double SecondMoment) Moments(ReadOnlySpan<double> p) => (double.NaN, double.NaN);

    public override double MaximumAmplitude(ReadOnlySpan<double> p) => double.PositiveInfinity;

    // Without a mean, seed the most probable value a little below the (truncated) sample mean.
    public override double[] Seed(double meanAmplitude) => [meanAmplitude / 1.3, 0.08];

    public override ResponseEvaluator CreateEvaluator(FrequencyGrid grid) => new Evaluator(grid);

    private sealed class Evaluator(FrequencyGrid grid) : ResponseEvaluator(grid)
    {
        public override void Evaluate(ReadOnlySpan<double> p, int count, Span<Complex> phi, Complex[][]? derivatives)
        {
            double s = p[0], w = p[1], xi = s * w, step = Grid.Step;
            const double ymp = StandardLandau.MostProbable;
            phi[0] = Complex.One;
            if (derivatives is not null) { derivatives[0][0] = 0; derivatives[1][0] = 0; }
            for (int m = 1; m < count; m++)
            {
                double t = m * step;
                double logXiT = Math.Log(xi * t);
                // ln φ1 = i t s(1 − w y_mp) − (π/2) ξ t − i ξ t ln(ξ t), t > 0
                double re = -0.5 * Math.PI * xi * t;
                double im = t * s * (1 - w * ymp) - xi * t * logXiT;
                var value = Complex.FromPolarCoordinates(Math.Exp(re), im);
                phi[m] = value;
                if (derivatives is null) continue;
                // ∂/∂s: ξ = s w
                var dS = new Complex(-0.5 * Math.PI * w * t, t * (1 - w * ymp) - w * t * logXiT - w * t);
                var dW = new Complex(-0.5 * Math.PI * s * t, -t * s * ymp - s * t * logXiT - s * t);
                derivatives[0][m] = dS * value;
                derivatives[1][m] = dW * value;
            }
        }
    }
}
