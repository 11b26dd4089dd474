namespace BeamDAQ.Analysis.Validation;

/// <summary>
/// Draws standard Landau variates by the Chambers–Mallows–Stuck method for a stable law with α = 1, β = 1.
/// It shares no code with the model's tabulated density (<see cref="Spectrum.StandardLandau"/>), so the toy
/// Monte Carlo is an independent check of it. CMS gives X with characteristic function
/// exp(−|t|(1 + i(2/π) t/|t| ln|t|)); Y = (π/2)X + ln(π/2) has the standard Landau's exp(−π|t|/2 − i t ln|t|).
/// </summary>
public static class LandauSampler
{
    public static double SampleStandard(Random random)
    {
        // U uniform on (−π/2, π/2), W exponential(1); both kept away from the endpoints.
        double u;
        do u = Math.PI * (random.NextDouble() - 0.5); while (Math.Abs(u) >= 0.5 * Math.PI - 1e-12);
        double w;
        do w = -Math.Log(random.NextDouble()); while (!(w > 0) || double.IsInfinity(w));
        double halfPiPlusU = 0.5 * Math.PI + u;
        double x = (2 / Math.PI) * (halfPiPlusU * Math.Tan(u) - Math.Log(0.5 * Math.PI * w * Math.Cos(u) / halfPiPlusU));
        return 0.5 * Math.PI * x + Math.Log(0.5 * Math.PI);
    }

    /// <summary>
    /// A deposit from a Landau with most probable value <paramref name="mostProbable"/> and width
    /// ξ = <paramref name="widthRatio"/>·MPV, kept only in [0, <paramref name="cap"/>] (rejection).
    /// </summary>
    public static double SampleTruncated(Random random, double mostProbable, double widthRatio, double cap)
    {
        const double standardMostProbable = -0.2227829812;
        while (true)
        {
            double y = SampleStandard(random);
            double x = mostProbable * (1 + widthRatio * (y - standardMostProbable));
            if (x >= 0 && x <= cap) return x;
        }
    }
}
