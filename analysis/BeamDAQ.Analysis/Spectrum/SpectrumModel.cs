using System.Numerics;
using System.Runtime.CompilerServices;
using BeamDAQ.Analysis.Spectrum.Responses;

namespace BeamDAQ.Analysis.Spectrum;

/// <summary>
/// The compound-Poisson amplitude spectrum of DESIGN §6 for one histogram binning: bunch multiplicity
/// n ~ Poisson(λ) (or negative binomial with over-dispersion η = 1/k), each electron an independent draw from
/// the single-electron response, plus Gaussian noise σ0 and the pedestal μ0. In Fourier space that is
/// Φ(t) = G(φ1(t)) · exp(i μ0 t − σ0² t²/2) with G(z) = exp(λ(z − 1)) or (1 + λη(1 − z))^(−1/η): exact for any
/// response and the same cost for every λ. Multiplying by sinc(t w/2) turns the density into the box-averaged
/// density, so samples at the bin centres are exact bin probabilities; one inverse FFT of the folded spectrum
/// gives all bins, and each parameter derivative is one more inverse FFT of Φ·∂(ln Φ). Probabilities come as
/// [underflow, bin 0 .. bin B−1, overflow]: the underflow is the model's probability in the pad bins below the
/// histogram, the overflow everything else (above the histogram, and whatever lies beyond the window's top),
/// so they always sum to one.
/// Parameters: [lambda, pedestal, noise, (overdispersion), response...]. One instance per thread: it owns its buffers.
/// </summary>
public sealed class SpectrumModel
{
    public const int LambdaIndex = 0;
    public const int PedestalIndex = 1;
    public const int NoiseIndex = 2;

    private readonly ResponseEvaluator _response;
    private readonly int _responseCount;
    private readonly RealFft _inverse;
    private readonly double[] _t, _t2, _sinc;
    private readonly Complex[] _phi1, _big, _column, _folded;
    private readonly Complex[][] _dPhi1;
    private readonly double[] _coarse;
    private readonly double[] _padded;      // pad bins then histogram bins
    private readonly double _probabilityScale;
    private readonly double[] _cachedParameters;
    private int _cachedCount = -1;
    private bool _cachedDerivatives;

    public SpectrumModel(SpectrumGrid grid, SingleElectronResponse response, bool overDispersion)
    {
        Grid = grid;
        Response = response;
        OverDispersion = overDispersion;
        var specs = new List<ParameterSpec>
        {
            new("lambda", ParameterKind.Positive, "mean number of electrons per bunch"),
            new("pedestal", ParameterKind.Real, "amplitude without electrons"),
            new("noise", ParameterKind.Positive, "Gaussian noise sigma"),
        };
        if (overDispersion) specs.Add(new("overdispersion", ParameterKind.NonNegative, "1/k of a negative-binomial multiplicity (0 = Poisson)"));
        ResponseOffset = specs.Count;
        specs.AddRange(response.Parameters);
        Parameters = specs;

        var frequencies = grid.Frequencies;
        _response = response.CreateEvaluator(frequencies);
        _responseCount = response.Parameters.Count;
        int count = grid.FrequencyCount;
        _t = new double[count];
        _t2 = new double[count];
        _sinc = new double[count];
        for (int m = 0; m < count; m++)
        {
            double t = frequencies.Frequency(m);
            _t[m] = t;
            _t2[m] = t * t;
            double half = 0.5 * t * grid.BinWidth;
            _sinc[m] = m == 0 ? 1 : Math.Sin(half) / half;
        }
        _phi1 = new Complex[count];
        _big = new Complex[count];
        _column = new Complex[count];
        _dPhi1 = new Complex[_responseCount][];
        for (int k = 0; k < _responseCount; k++) _dPhi1[k] = new Complex[count];
        _inverse = new RealFft(grid.CoarseLength);
        _folded = new Complex[_inverse.SpectrumLength];
        _coarse = new double[grid.CoarseLength];
        _padded = new double[grid.PadBins + grid.BinCount];
        _probabilityScale = (double)grid.Oversample / grid.CoarseLength; // w/L
        _cachedParameters = new double[_responseCount];
    }

    public SpectrumGrid Grid { get; }
    public SingleElectronResponse Response { get; }
    public bool OverDispersion { get; }
    public IReadOnlyList<ParameterSpec> Parameters { get; }
    public int ParameterCount => Parameters.Count;
    public int OverDispersionIndex => OverDispersion ? 3 : -1;
    public int ResponseOffset { get; }

    /// <summary>Length of the probability vector: bins plus underflow and overflow.</summary>
    public int OutputLength => Grid.BinCount + 2;

    /// <summary>Number of frequencies used by the last evaluation (for diagnostics).</summary>
    public int LastFrequencyCount { get; private set; }

    /// <summary>True when the last evaluation's noise was below the grid's design floor (frequencies cut short).</summary>
    public bool NoiseBelowFloor { get; private set; }

    /// <summary>
    /// Probabilities [under, bins..., over] into <paramref name="probabilities"/>; when <paramref name="jacobian"/>
    /// is not empty, ∂P/∂θ_k into jacobian[k·OutputLength + i].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(ReadOnlySpan<double> p, Span<double> probabilities, Span<double> jacobian)
    {
        int outputs = OutputLength;
        if (probabilities.Length < outputs) throw new ArgumentException("probabilities too short");
        bool derivatives = !jacobian.IsEmpty;
        if (derivatives && jacobian.Length < outputs * ParameterCount) throw new ArgumentException("jacobian too short");

        double lambda = p[LambdaIndex], pedestal = p[PedestalIndex], noise = p[NoiseIndex];
        double eta = OverDispersion ? Math.Max(0, p[3]) : 0;
        bool negativeBinomial = OverDispersion && eta > 0;
        var responseParameters = p.Slice(ResponseOffset, _responseCount);

        int count = ActiveFrequencies(noise);
        EvaluateResponse(responseParameters, count, derivatives);

        double shift = pedestal - Grid.Origin;
        double halfNoise2 = 0.5 * noise * noise;
        var phi1 = _phi1;
        var big = _big;
        for (int m = 0; m < count; m++)
        {
            Complex b = 1 - phi1[m];
            Complex g = negativeBinomial ? NegativeBinomialExponent(lambda, eta, b) : -lambda * b;
            double re = g.Real - halfNoise2 * _t2[m];
            double im = g.Imaginary + _t[m] * shift;
            var (sin, cos) = Math.SinCos(im);
            double magnitude = Math.Exp(re) * _sinc[m];
            big[m] = new Complex(magnitude * cos, magnitude * sin);
        }

        Transform(big, count, _padded);
        Split(_padded, probabilities, 1);
        if (!derivatives) return;

        var column = _column;
        for (int k = 0; k < ParameterCount; k++)
        {
            var target = jacobian.Slice(k * outputs, outputs);
            if (k == LambdaIndex)
            {
                for (int m = 0; m < count; m++)
                {
                    Complex b = 1 - phi1[m];
                    column[m] = big[m] * (negativeBinomial ? -b / (1 + eta * lambda * b) : -b);
                }
            }
            else if (k == PedestalIndex)
            {
                for (int m = 0; m < count; m++) column[m] = big[m] * new Complex(0, _t[m]);
            }
            else if (k == NoiseIndex)
            {
                for (int m = 0; m < count; m++) column[m] = big[m] * (-noise * _t2[m]);
            }
            else if (k == OverDispersionIndex)
            {
                for (int m = 0; m < count; m++) column[m] = big[m] * NegativeBinomialEtaDerivative(lambda, eta, 1 - phi1[m]);
            }
            else
            {
                var dPhi = _dPhi1[k - ResponseOffset];
                for (int m = 0; m < count; m++)
                {
                    Complex factor = lambda * dPhi[m];
                    if (negativeBinomial) factor /= 1 + eta * lambda * (1 - phi1[m]);
                    column[m] = big[m] * factor;
                }
            }
            Transform(column, count, _padded);
            Split(_padded, target, 0);
        }
    }

    /// <summary>[pad bins, bins] → [under = Σ pad, bins, over = sum − rest]: sum is 1 for probabilities (Φ(0) = 1), 0 for derivatives.</summary>
    private void Split(double[] padded, Span<double> output, double sum)
    {
        int pad = Grid.PadBins, bins = Grid.BinCount;
        double under = 0, total = 0;
        for (int i = 0; i < pad; i++) under += padded[i];
        output[0] = under;
        total = under;
        for (int i = 0; i < bins; i++)
        {
            double v = padded[pad + i];
            output[i + 1] = v;
            total += v;
        }
        output[bins + 1] = sum - total;
    }

    /// <summary>
    /// φ1 and its derivatives, reused when the response parameters have not changed since the last evaluation
    /// (the Hesse steps in λ, pedestal and noise, the profile scans): the response is the expensive part.
    /// </summary>
    private void EvaluateResponse(ReadOnlySpan<double> parameters, int count, bool derivatives)
    {
        if (count <= _cachedCount && (!derivatives || _cachedDerivatives) && parameters.SequenceEqual(_cachedParameters)) return;
        _response.Evaluate(parameters, count, _phi1, derivatives ? _dPhi1 : null);
        parameters.CopyTo(_cachedParameters);
        _cachedCount = count;
        _cachedDerivatives = derivatives;
    }

    /// <summary>
    /// Probability of every coarse point of the window (pad, bins and beyond, Oversample points per bin width):
    /// how the planner sees where the spectrum's tail ends.
    /// </summary>
    internal double[] CoarseProbabilities(double[] p)
    {
        var probabilities = new double[OutputLength];
        Evaluate(p, probabilities, default);
        var result = new double[Grid.CoarseLength];
        double scale = 1.0 / Grid.CoarseLength;
        for (int j = 0; j < result.Length; j++) result[j] = _coarse[j] * scale;
        return result;
    }

    /// <summary>
    /// Bin probabilities of each multiplicity separately — n = 0 (pedestal) to <paramref name="maxElectrons"/> —
    /// for plots: components[n][bin], weighted by the multiplicity's probability.
    /// </summary>
    public double[][] Components(ReadOnlySpan<double> p, int maxElectrons)
    {
        double lambda = p[LambdaIndex], pedestal = p[PedestalIndex], noise = p[NoiseIndex];
        double eta = OverDispersion ? Math.Max(0, p[3]) : 0;
        int count = ActiveFrequencies(noise);
        EvaluateResponse(p.Slice(ResponseOffset, _responseCount), count, false);
        var result = new double[maxElectrons + 1][];
        var power = new Complex[count];
        Array.Fill(power, Complex.One);
        double shift = pedestal - Grid.Origin;
        for (int n = 0; n <= maxElectrons; n++)
        {
            double weight = MultiplicityProbability(n, lambda, eta);
            for (int m = 0; m < count; m++)
            {
                if (n > 0) power[m] *= _phi1[m];
                var carrier = Complex.FromPolarCoordinates(Math.Exp(-0.5 * noise * noise * _t2[m]) * _sinc[m], _t[m] * shift);
                _column[m] = weight * power[m] * carrier;
            }
            Transform(_column, count, _padded);
            result[n] = _padded[Grid.PadBins..];
        }
        return result;
    }

    /// <summary>Pois(n; λ), or the negative binomial with mean λ and 1/k = η.</summary>
    public static double MultiplicityProbability(int n, double lambda, double eta)
    {
        if (eta <= 0) return Math.Exp(n * Math.Log(lambda) - lambda - SpecialLogFactorial(n));
        double k = 1 / eta;
        // Γ(n+k)/(Γ(k) n!) (k/(k+λ))^k (λ/(k+λ))^n
        double logP = MathNet.Numerics.SpecialFunctions.GammaLn(n + k) - MathNet.Numerics.SpecialFunctions.GammaLn(k) - SpecialLogFactorial(n)
                      + k * Math.Log(k / (k + lambda)) + n * Math.Log(lambda / (k + lambda));
        return Math.Exp(logP);
    }

    private static double SpecialLogFactorial(int n) => MathNet.Numerics.SpecialFunctions.FactorialLn(n);

    private int ActiveFrequencies(double noise)
    {
        int needed = SpectrumGrid.FrequenciesFor(Grid.Period, noise);
        NoiseBelowFloor = needed > Grid.FrequencyCount;
        int count = Math.Min(needed, Grid.FrequencyCount);
        LastFrequencyCount = count;
        return count;
    }

    /// <summary>Folds a half spectrum onto the coarse points, inverse-transforms, and samples the bin centres from the first pad bin on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Transform(Complex[] spectrum, int count, Span<double> bins)
    {
        int length = Grid.CoarseLength, half = length / 2;
        var folded = _folded;
        Array.Clear(folded);
        // The inverse FFT has e^{+i…} and the density needs e^{−i t x}: accumulate the conjugate.
        int r = 0;
        for (int m = 0; m < count; m++)
        {
            Complex v = spectrum[m];
            if (r <= half) folded[r] += Complex.Conjugate(v);
            if (m > 0)
            {
                int mirror = r == 0 ? 0 : length - r;
                if (mirror <= half) folded[mirror] += v;
            }
            if (++r == length) r = 0;
        }
        _inverse.Inverse(folded, _coarse);
        int stride = Grid.Oversample;
        double scale = _probabilityScale;
        for (int i = 0; i < bins.Length; i++) bins[i] = _coarse[i * stride] * scale;
    }

    /// <summary>−ln(1 + z)/η with z = ηλb, for the negative binomial's generating function.</summary>
    private static Complex NegativeBinomialExponent(double lambda, double eta, Complex b)
    {
        Complex z = eta * lambda * b;
        if (z.Magnitude < 1e-2)
            return -lambda * b * (1 - z / 2 + z * z / 3 - z * z * z / 4 + z * z * z * z / 5);
        return -Complex.Log(1 + z) / eta;
    }

    /// <summary>∂/∂η of −ln(1 + ηλb)/η = [ln(1 + z) − z/(1 + z)]/η².</summary>
    private static Complex NegativeBinomialEtaDerivative(double lambda, double eta, Complex b)
    {
        Complex z = eta * lambda * b;
        Complex lb2 = lambda * lambda * b * b;
        if (z.Magnitude < 1e-2)
            return lb2 * (0.5 - 2 * z / 3 + 0.75 * z * z - 0.8 * z * z * z);
        return (Complex.Log(1 + z) - z / (1 + z)) / (eta * eta);
    }
}
