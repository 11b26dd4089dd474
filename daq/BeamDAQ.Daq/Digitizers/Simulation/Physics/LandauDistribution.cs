namespace BeamDAQ.Daq.Digitizers.Simulation.Physics;

/// <summary>
/// The standard Landau distribution p(λ) = (1/π) ∫₀^∞ exp(−t ln t − λt) sin(πt) dt: the stable law with
/// α = 1, β = 1, scale π/2, whose characteristic function is exp(−(π/2)|t| − i t ln|t|). Sampled exactly by
/// the Chambers–Mallows–Stuck construction (a tangent, a logarithm and a cosine per variate, no tables).
/// </summary>
public static class LandauDistribution
{
    /// <summary>The mode (most probable value) of the standard Landau density.</summary>
    public const double Mode = -0.22278298;

    private static readonly double LogHalfPi = Math.Log(Math.PI / 2);

    /// <summary>One standard Landau variate.</summary>
    public static double Sample(Random random)
    {
        // V ~ U(−π/2, π/2), W ~ Exp(1); X = (2/π)[(π/2 + V) tan V − ln((π/2) W cos V / (π/2 + V))] is S(1, β=1, 1, 0),
        // and λ = (π/2) X + ln(π/2) has the Landau characteristic function above.
        double v, w;
        do { v = Math.PI * (random.NextDouble() - 0.5); } while (v <= -Math.PI / 2 + 1e-12);
        do { w = -Math.Log(random.NextDouble()); } while (w <= 0 || double.IsInfinity(w));
        double halfPiPlusV = Math.PI / 2 + v;
        double x = (2 / Math.PI) * (halfPiPlusV * Math.Tan(v) - Math.Log(Math.PI / 2 * w * Math.Cos(v) / halfPiPlusV));
        return Math.PI / 2 * x + LogHalfPi;
    }

    /// <summary>
    /// The density by numerical integration of its integral representation (Simpson's rule up to where the
    /// integrand is below e⁻⁴⁰). Slow (milliseconds); for tests and for documentation plots, not per event.
    /// </summary>
    public static double Density(double lambda)
    {
        // Upper limit: t ln t + λ t = 40 (the integrand's envelope is e^−(t ln t + λ t)); the function increases beyond e^(−1−λ).
        double lo = Math.Max(Math.Exp(-1 - lambda), 1e-12), hi = Math.Max(lo * 2, 10);
        while (hi * Math.Log(hi) + lambda * hi < 40) hi *= 2;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid * Math.Log(mid) + lambda * mid < 40) lo = mid; else hi = mid;
        }
        const int n = 20000; // even
        double h = hi / n, sum = 0;
        for (int i = 1; i < n; i++)
        {
            double t = i * h;
            double f = Math.Exp(-t * Math.Log(t) - lambda * t) * Math.Sin(Math.PI * t);
            sum += (i % 2 == 1 ? 4 : 2) * f;
        }
        return sum * h / 3 / Math.PI; // f(0) = 0 and f(hi) ≈ 0
    }
}
