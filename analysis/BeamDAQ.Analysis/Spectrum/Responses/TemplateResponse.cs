using System.Globalization;
using System.Numerics;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Analysis.Spectrum.Responses;

/// <summary>
/// A single-electron response taken from simulated energy deposits (e.g. Geant4, in MeV) with a free
/// <c>gain</c> (amplitude per MeV): φ1(t) = S(g t), S the characteristic function of the deposits. The
/// deposits are histogrammed in <see cref="DepositBin"/> bins treated as point masses at their centres
/// (2 keV; far below the noise for any realistic gain), S and S' are tabulated once by FFT, and each
/// evaluation only interpolates them (cubic Hermite), so a template costs less than an analytic Landau.
/// </summary>
public sealed class TemplateResponse : SingleElectronResponse
{
    /// <summary>Width of the deposit histogram, MeV.</summary>
    public const double DepositBin = 0.002;
    private const int TableLength = 1 << 18; // period in deposit 524 MeV: S tabulated every 0.012 /MeV

    private static readonly ParameterSpec[] Specs =
    [
        new("gain", ParameterKind.Positive, "amplitude per MeV deposited"),
    ];

    private readonly Complex[] _s;       // S(u_k), u_k = k Δu, k = 0..TableLength/2
    private readonly Complex[] _ds;      // S'(u_k)
    private readonly double _du;
    private readonly double _mean, _second;

    public TemplateResponse(string name, IReadOnlyList<double> depositsMeV, string source)
    {
        Name = name;
        Source = source;
        if (depositsMeV.Count < 100)
            throw new UsageException($"{source}: a template needs at least 100 deposits, found {depositsMeV.Count}");
        double max = 0, sum = 0, sum2 = 0;
        foreach (double d in depositsMeV)
        {
            max = Math.Max(max, d);
            sum += d;
            sum2 += d * d;
        }
        int bins = (int)Math.Ceiling(max / DepositBin) + 1;
        if (bins > TableLength / 4)
            throw new UsageException($"{source}: deposits up to {max:G4} MeV exceed the template range {TableLength / 4 * DepositBin:G4} MeV");
        var probabilities = new double[TableLength];
        foreach (double d in depositsMeV) probabilities[(int)(d / DepositBin)] += 1.0 / depositsMeV.Count;
        Count = depositsMeV.Count;
        MaximumDeposit = max;
        _mean = sum / Count;
        _second = sum2 / Count;

        // S(u) = Σ_b p_b e^{i u e_b}, e_b = (b + ½)δ; on u_k = 2πk/(Nδ) that is conj(FFT(p))_k · e^{i u_k δ/2}.
        var fft = new RealFft(TableLength);
        var transform = new Complex[fft.SpectrumLength];
        var transformDerivative = new Complex[fft.SpectrumLength];
        fft.Forward(probabilities, transform);
        var weighted = new double[TableLength];
        for (int b = 0; b < TableLength; b++) weighted[b] = probabilities[b] * (b + 0.5) * DepositBin;
        fft.Forward(weighted, transformDerivative);
        _du = 2 * Math.PI / (TableLength * DepositBin);
        _s = new Complex[fft.SpectrumLength];
        _ds = new Complex[fft.SpectrumLength];
        for (int k = 0; k < _s.Length; k++)
        {
            var half = Complex.FromPolarCoordinates(1, 0.5 * k * _du * DepositBin);
            _s[k] = Complex.Conjugate(transform[k]) * half;
            _ds[k] = Complex.ImaginaryOne * Complex.Conjugate(transformDerivative[k]) * half; // S'(u) = Σ i e_b p_b e^{i u e_b}
        }
    }

    /// <summary>Reads one deposit (MeV) per line; '#' comments and blank lines are skipped.</summary>
    public static TemplateResponse FromFile(string path, string name)
    {
        if (!File.Exists(path)) throw new UsageException($"template file '{path}' does not exist");
        var deposits = new List<double>();
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < 0)
                throw new UsageException($"{path}:{lineNumber}: '{Truncate(line)}' is not a deposit; expected one finite number >= 0 (MeV) per line");
            deposits.Add(value);
        }
        return new TemplateResponse(name, deposits, path);
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

    public override string Name { get; }
    public string Source { get; }
    public int Count { get; }
    public double MaximumDeposit { get; }
    public override IReadOnlyList<ParameterSpec> Parameters => Specs;
    public override string GainUnit(string amplitudeUnit) => amplitudeUnit + "/MeV";

    public override (double Mean, double SecondMoment) Moments(ReadOnlySpan<double> p) => (p[0] * _mean, p[0] * p[0] * _second);

    public override double MaximumAmplitude(ReadOnlySpan<double> p) => p[0] * (MaximumDeposit + DepositBin);

    public override double[] Seed(double meanAmplitude) => [meanAmplitude / _mean];

    /// <summary>Mean deposit of the template, MeV.</summary>
    public double MeanDeposit => _mean;

    public override ResponseEvaluator CreateEvaluator(FrequencyGrid grid) => new Evaluator(grid, this);

    /// <summary>S(u) and S'(u) for u >= 0 by cubic Hermite interpolation (S'' from the table's differences).</summary>
    private (Complex S, Complex DS) Interpolate(double u)
    {
        double position = u / _du;
        int k = (int)position;
        if (k >= _s.Length - 2)
        {
            // Beyond half the table's period the point-mass representation aliases; the noise has long
            // suppressed these frequencies, so the response is simply taken as zero there.
            return (Complex.Zero, Complex.Zero);
        }
        double r = position - k;
        double r2 = r * r, r3 = r2 * r;
        double h00 = 2 * r3 - 3 * r2 + 1, h10 = r3 - 2 * r2 + r, h01 = -2 * r3 + 3 * r2, h11 = r3 - r2;
        Complex s = h00 * _s[k] + h10 * _du * _ds[k] + h01 * _s[k + 1] + h11 * _du * _ds[k + 1];
        // The derivative of the same cubic, consistent with the value.
        double d00 = (6 * r2 - 6 * r) / _du, d10 = 3 * r2 - 4 * r + 1, d01 = (-6 * r2 + 6 * r) / _du, d11 = 3 * r2 - 2 * r;
        Complex ds = d00 * _s[k] + d10 * _ds[k] + d01 * _s[k + 1] + d11 * _ds[k + 1];
        return (s, ds);
    }

    private sealed class Evaluator(FrequencyGrid grid, TemplateResponse template) : ResponseEvaluator(grid)
    {
        public override void Evaluate(ReadOnlySpan<double> p, int count, Span<Complex> phi, Complex[][]? derivatives)
        {
            double gain = p[0], step = Grid.Step;
            for (int m = 0; m < count; m++)
            {
                double t = m * step;
                var (s, ds) = template.Interpolate(gain * t);
                phi[m] = s;
                if (derivatives is not null) derivatives[0][m] = t * ds;
            }
        }
    }
}
