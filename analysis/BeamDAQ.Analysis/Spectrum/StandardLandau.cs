using System.Numerics;

namespace BeamDAQ.Analysis.Spectrum;

/// <summary>
/// The standard Landau distribution (location 0, scale 1): characteristic function
/// φ(t) = exp(−π|t|/2 − i t ln|t|), density maximum at <see cref="MostProbable"/>.
/// The density and its first two derivatives are tabulated once per process by a 2^17-point inverse FFT of φ
/// (exact up to the grid's aliasing, which is below 1e−60 here, and the 1/y² tail that wraps round the period,
/// which is subtracted from its asymptotic expansion); between nodes they are cubic-Hermite interpolated.
/// Beyond the table the asymptotic series p(y) ≈ 1/y² + 2(ln y − ψ(3))/y³ is used.
/// Cumulative integrals of p, y·p and y²·p on the nodes give probabilities and truncated moments in O(1).
/// </summary>
public static class StandardLandau
{
    /// <summary>Position of the density's maximum (most probable value) of the standard Landau.</summary>
    public const double MostProbable = -0.2227829812;

    private const double Step = 1.0 / 32;
    private const double TableLow = -16;       // p(−16) ~ exp(−e^15): zero in double
    private const double TableHigh = 2000;
    private const int FftLength = 1 << 17;     // period 4096 in y
    private const double Digamma3 = 0.9227843350984671;

    private static readonly Lazy<Table> Tables = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>φ(t) of the standard Landau.</summary>
    public static Complex CharacteristicFunction(double t)
    {
        if (t == 0) return Complex.One;
        double a = Math.Abs(t);
        return Complex.FromPolarCoordinates(Math.Exp(-0.5 * Math.PI * a), -t * Math.Log(a));
    }

    /// <summary>Density p(y).</summary>
    public static double Density(double y)
    {
        var tb = Tables.Value;
        if (y <= TableLow) return 0;
        if (y >= TableHigh) return AsymptoticDensity(y);
        return Hermite(tb.P, tb.DP, y);
    }

    /// <summary>
    /// Density and its derivative p'(y) — the derivative of the same interpolating cubic, so that a fit's
    /// analytic gradient is exactly that of the function it minimises.
    /// </summary>
    public static (double P, double DP) DensityAndDerivative(double y)
    {
        var tb = Tables.Value;
        if (y <= TableLow) return (0, 0);
        if (y >= TableHigh) return (AsymptoticDensity(y), AsymptoticDerivative(y));
        double position = (y - TableLow) / Step;
        int i = (int)position;
        if (i >= tb.P.Length - 1) i = tb.P.Length - 2;
        double s = position - i;
        double s2 = s * s, s3 = s2 * s;
        double f0 = tb.P[i], f1 = tb.P[i + 1], d0 = Step * tb.DP[i], d1 = Step * tb.DP[i + 1];
        double value = (2 * s3 - 3 * s2 + 1) * f0 + (s3 - 2 * s2 + s) * d0 + (-2 * s3 + 3 * s2) * f1 + (s3 - s2) * d1;
        double slope = ((6 * s2 - 6 * s) * f0 + (3 * s2 - 4 * s + 1) * d0 + (-6 * s2 + 6 * s) * f1 + (3 * s2 - 2 * s) * d1) / Step;
        return (value, slope);
    }

    /// <summary>Cumulative distribution F(y).</summary>
    public static double Cdf(double y) => Integral(0, y);

    /// <summary>∫_{−∞}^{y} u^k p(u) du for k = 0, 1, 2 (cumulative truncated moments).</summary>
    public static double Integral(int k, double y)
    {
        var tb = Tables.Value;
        if (y <= TableLow) return 0;
        if (y >= TableHigh)
        {
            double baseValue = tb.Cumulative[k][^1];
            // Tail beyond the table from the leading asymptotic term 1/u² (relative error ~ ln y / y).
            return k switch
            {
                0 => baseValue + (1 / TableHigh - 1 / y),
                1 => baseValue + Math.Log(y / TableHigh),
                _ => baseValue + (y - TableHigh),
            };
        }
        double position = (y - TableLow) / Step;
        int i = Math.Min((int)position, tb.P.Length - 2);
        double y0 = TableLow + i * Step;
        // Partial interval by Simpson on the Hermite-interpolated density (error far below the table's).
        double mid = 0.5 * (y0 + y);
        double f0 = IntPow(y0, k) * tb.P[i];
        double fm = IntPow(mid, k) * Hermite(tb.P, tb.DP, mid);
        double f1 = IntPow(y, k) * Hermite(tb.P, tb.DP, y);
        return tb.Cumulative[k][i] + (y - y0) / 6 * (f0 + 4 * fm + f1);
    }

    private static double IntPow(double x, int k) => k switch { 0 => 1, 1 => x, 2 => x * x, _ => Math.Pow(x, k) };

    private static double AsymptoticDensity(double y) => 1 / (y * y) + 2 * (Math.Log(y) - Digamma3) / (y * y * y);

    private static double AsymptoticDerivative(double y) =>
        -2 / (y * y * y) + (2 / y - 6 * (Math.Log(y) - Digamma3) / y) / (y * y * y);

    private static double Hermite(double[] f, double[] df, double y)
    {
        double position = (y - TableLow) / Step;
        int i = (int)position;
        if (i >= f.Length - 1) i = f.Length - 2;
        double s = position - i;
        double s2 = s * s, s3 = s2 * s;
        double h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s, h01 = -2 * s3 + 3 * s2, h11 = s3 - s2;
        return h00 * f[i] + h10 * Step * df[i] + h01 * f[i + 1] + h11 * Step * df[i + 1];
    }

    private sealed record Table(double[] P, double[] DP, double[] D2P, double[][] Cumulative);

    private static Table Build()
    {
        const double period = FftLength * Step;
        var fft = new RealFft(FftLength);
        int spectrumLength = FftLength / 2 + 1;
        var spectrum = new Complex[spectrumLength];
        var values = new double[FftLength];
        int nodes = (int)Math.Round((TableHigh - TableLow) / Step) + 1;
        var tables = new double[3][];

        // p^(d)(y_j) = (1/L) Σ_m (−i t_m)^d φ(t_m) e^{−i t_m y_j}, y_j = TableLow + j·Step, t_m = 2πm/L.
        // The inverse transform has e^{+i…}, so it is fed conj(…), and the origin shift is a phase e^{−i t TableLow}.
        var shifted = new Complex[spectrumLength];
        for (int m = 0; m < spectrumLength; m++)
        {
            double t = 2 * Math.PI * m / period;
            shifted[m] = CharacteristicFunction(t) * Complex.FromPolarCoordinates(1, -t * TableLow);
        }
        const int images = 8;
        for (int d = 0; d < 3; d++)
        {
            for (int m = 0; m < spectrumLength; m++)
            {
                double t = 2 * Math.PI * m / period;
                Complex value = shifted[m];
                if (d == 1) value *= new Complex(0, -t);
                else if (d == 2) value *= -t * t;
                spectrum[m] = Complex.Conjugate(value);
            }
            fft.Inverse(spectrum, values);
            var table = new double[nodes];
            for (int j = 0; j < nodes; j++)
            {
                double y = TableLow + j * Step;
                double v = values[j] / period;
                // Remove the images of the 1/y² tail that wrapped round the period: Σ_{k>=1} p^(d)(y + kL),
                // the first few explicitly, the rest as an integral (midpoint rule, error ~ 1/(L² k⁴)).
                for (int k = 1; k <= images; k++)
                {
                    double yk = y + k * period;
                    v -= d switch
                    {
                        0 => AsymptoticDensity(yk),
                        1 => AsymptoticDerivative(yk),
                        _ => 6 / (yk * yk * yk * yk),
                    };
                }
                double rest = (images + 0.5) * period + y;
                v -= d switch
                {
                    0 => 1 / rest,
                    1 => -1 / (rest * rest),
                    _ => 2 / (rest * rest * rest),
                } / period;
                table[j] = v;
            }
            tables[d] = table;
        }
        // Far left the exact density underflows to zero; the transform leaves rounding noise ~1e−17 there.
        for (int j = 0; j < nodes; j++)
        {
            if (TableLow + j * Step < -6 && Math.Abs(tables[0][j]) < 1e-14)
            {
                tables[0][j] = 0; tables[1][j] = 0; tables[2][j] = 0;
            }
            if (tables[0][j] < 0) tables[0][j] = 0;
        }

        // Cumulative ∫ u^k p(u) du on the nodes, exact for the Hermite cubic of u^k p: trapezoid + end correction.
        var cumulative = new double[3][];
        for (int k = 0; k < 3; k++)
        {
            var c = new double[nodes];
            for (int j = 1; j < nodes; j++)
            {
                double ya = TableLow + (j - 1) * Step, yb = ya + Step;
                double fa = IntPow(ya, k) * tables[0][j - 1], fb = IntPow(yb, k) * tables[0][j];
                double dfa = k * (k == 0 ? 0 : IntPow(ya, k - 1)) * tables[0][j - 1] + IntPow(ya, k) * tables[1][j - 1];
                double dfb = k * (k == 0 ? 0 : IntPow(yb, k - 1)) * tables[0][j] + IntPow(yb, k) * tables[1][j];
                c[j] = c[j - 1] + Step * (fa + fb) / 2 + Step * Step * (dfa - dfb) / 12;
            }
            cumulative[k] = c;
        }
        return new Table(tables[0], tables[1], tables[2], cumulative);
    }
}
