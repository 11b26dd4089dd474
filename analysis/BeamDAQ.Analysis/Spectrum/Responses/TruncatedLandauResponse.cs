using System.Numerics;

namespace BeamDAQ.Analysis.Spectrum.Responses;

/// <summary>
/// The physical single-electron response (DESIGN §6): a Landau with most probable amplitude <c>mpv</c> and
/// width ξ = <c>width</c>·mpv, kept on [0, cap] with cap = <see cref="CapInMostProbable"/>·mpv — an electron
/// cannot deposit more than its kinetic energy, and the cap in units of the most probable deposit follows from
/// the Landau–Vavilov value for the detector (<see cref="LandauVavilov"/>). In (mpv, width) this is a scale
/// family with a fixed cut in the standard variable, so the mean and every moment exist and scale with mpv.
/// φ1 has no closed form: each evaluation samples the density on a fine grid of the model's window and
/// transforms it with one real FFT (plus one per parameter derivative); the partial cell at the cap carries
/// its exact share, placed at its centre, so that the result and its slope move continuously with mpv.
/// </summary>
public sealed class TruncatedLandauResponse : SingleElectronResponse
{
    private static readonly ParameterSpec[] Specs =
    [
        new("mpv", ParameterKind.Positive, "most probable amplitude of one electron"),
        new("width", ParameterKind.Positive, "Landau width ξ in units of the most probable amplitude"),
    ];

    public TruncatedLandauResponse(LandauVavilov physics)
    {
        physics.Validate();
        Physics = physics;
        CapInMostProbable = physics.CapInMostProbable;
    }

    public TruncatedLandauResponse(double capInMostProbable)
    {
        if (!(capInMostProbable > 1.5)) throw new ArgumentOutOfRangeException(nameof(capInMostProbable), capInMostProbable, "the cap must exceed 1.5 most probable values");
        CapInMostProbable = capInMostProbable;
    }

    public LandauVavilov? Physics { get; }

    /// <summary>The kinetic energy in units of the most probable deposit.</summary>
    public double CapInMostProbable { get; }

    public override string Name => "landau";
    public override IReadOnlyList<ParameterSpec> Parameters => Specs;

    /// <summary>Standard-variable limits of the kept range for width w: x = 0 and x = cap.</summary>
    private (double Low, double High) StandardLimits(double width) =>
        (-1 / width + StandardLandau.MostProbable, (CapInMostProbable - 1) / width + StandardLandau.MostProbable);

    public override (double Mean, double SecondMoment) Moments(ReadOnlySpan<double> p)
    {
        double s = p[0], w = p[1];
        var (ya, yb) = StandardLimits(w);
        double norm = StandardLandau.Integral(0, yb) - StandardLandau.Integral(0, ya);
        double m1y = (StandardLandau.Integral(1, yb) - StandardLandau.Integral(1, ya)) / norm;
        double m2y = (StandardLandau.Integral(2, yb) - StandardLandau.Integral(2, ya)) / norm;
        // x = s(1 + w(y − y_mp)) = s(a + w y), a = 1 − w y_mp
        double a = 1 - w * StandardLandau.MostProbable;
        double mean = s * (a + w * m1y);
        double second = s * s * (a * a + 2 * a * w * m1y + w * w * m2y);
        return (mean, second);
    }

    public override double MaximumAmplitude(ReadOnlySpan<double> p) => CapInMostProbable * p[0];

    public override double[] Seed(double meanAmplitude)
    {
        double width = Physics is null ? 0.08 : Math.Clamp(1.2 * Physics.WidthInMostProbable, 0.02, 0.3);
        double meanPerMpv = Moments([1.0, width]).Mean;
        return [meanAmplitude / meanPerMpv, width];
    }

    public override ResponseEvaluator CreateEvaluator(FrequencyGrid grid) => new Evaluator(grid, CapInMostProbable);

    private sealed class Evaluator : ResponseEvaluator
    {
        private readonly double _cap;
        private readonly RealFft _fft;
        private readonly double _h;
        private readonly double[] _weights, _dWeightsS, _dWeightsW;
        private readonly Complex[] _transform, _transformS, _transformW;

        public Evaluator(FrequencyGrid grid, double cap) : base(grid)
        {
            _cap = cap;
            int length = (int)Math.Max(64, BitOperations.RoundUpToPowerOf2((uint)(2 * grid.Count)));
            _fft = new RealFft(length);
            _h = grid.Period / length;
            _weights = new double[length];
            _dWeightsS = new double[length];
            _dWeightsW = new double[length];
            _transform = new Complex[_fft.SpectrumLength];
            _transformS = new Complex[_fft.SpectrumLength];
            _transformW = new Complex[_fft.SpectrumLength];
        }

        public override void Evaluate(ReadOnlySpan<double> p, int count, Span<Complex> phi, Complex[][]? derivatives)
        {
            double s = p[0], w = p[1], h = _h;
            bool withDerivatives = derivatives is not null;
            const double ymp = StandardLandau.MostProbable;
            double cap = Math.Min(_cap * s, (_weights.Length - 1.5) * h);
            Array.Clear(_weights);
            if (withDerivatives) { Array.Clear(_dWeightsS); Array.Clear(_dWeightsW); }

            // Cells [x_i − h/2, x_i + h/2); the density is zero where the standard variable is below −16.
            int first = Math.Max(0, (int)Math.Floor(s * (1 + w * (-16 - ymp)) / h));
            int last = (int)Math.Floor(cap / h + 0.5);
            double invWs = 1 / (w * s);
            for (int i = first; i <= last; i++)
            {
                double x = i * h;
                double y = (x / s - 1) / w + ymp;
                var (pd, dpd) = StandardLandau.DensityAndDerivative(y);
                double f = pd * invWs;
                // f = p(y)/(w s), y = (x/s − 1)/w + y_mp
                double dfS = -(dpd * x / (w * s) + pd) / (w * s * s);
                double dfW = -(dpd * (y - ymp) + pd) / (w * w * s);
                if (i < last)
                {
                    double cell = i == 0 ? 0.5 * h : h;
                    _weights[i] += f * cell;
                    if (!withDerivatives) continue;
                    _dWeightsS[i] += dfS * cell;
                    _dWeightsW[i] += dfW * cell;
                    continue;
                }
                // The cell holding the cap: its mass m = f·(cap − x + h/2) sits at the centre c of [x − h/2, cap),
                // shared linearly between this point and the one below (cloud in cell). A point mass at x would
                // make the spectrum's slope in mpv jump whenever the cap crosses a cell.
                double part = cap - (x - 0.5 * h);
                double m = f * part;
                double delta = 0.5 - 0.5 * part / h; // (x − c)/h, in [0, ½)
                _weights[i] += m * (1 - delta);
                if (i > 0) _weights[i - 1] += m * delta;
                if (!withDerivatives) continue;
                double dmS = dfS * part + f * _cap, dmW = dfW * part;   // the cap moves with mpv
                double dDeltaS = -0.5 * _cap / h;
                _dWeightsS[i] += dmS * (1 - delta) - m * dDeltaS;
                _dWeightsW[i] += dmW * (1 - delta);
                if (i > 0)
                {
                    _dWeightsS[i - 1] += dmS * delta + m * dDeltaS;
                    _dWeightsW[i - 1] += dmW * delta;
                }
            }

            _fft.Forward(_weights, _transform);
            double norm = _transform[0].Real;
            double invNorm = 1 / norm;
            // φ1(t_m) = Σ q_i e^{+i t_m x_i} = conj(FFT(q))_m
            for (int m = 0; m < count; m++) phi[m] = Complex.Conjugate(_transform[m]) * invNorm;
            if (!withDerivatives) return;

            _fft.Forward(_dWeightsS, _transformS);
            _fft.Forward(_dWeightsW, _transformW);
            double dNormS = _transformS[0].Real * invNorm, dNormW = _transformW[0].Real * invNorm;
            var dS = derivatives![0];
            var dW = derivatives[1];
            for (int m = 0; m < count; m++)
            {
                dS[m] = Complex.Conjugate(_transformS[m]) * invNorm - phi[m] * dNormS;
                dW[m] = Complex.Conjugate(_transformW[m]) * invNorm - phi[m] * dNormW;
            }
        }
    }
}
