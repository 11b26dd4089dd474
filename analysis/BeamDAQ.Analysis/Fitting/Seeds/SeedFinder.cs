using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Spectrum.Responses;

namespace BeamDAQ.Analysis.Fitting.Seeds;

/// <summary>
/// Automatic starting values — a fit is never handed them. The pedestal and noise come from the lowest peak
/// (<see cref="PedestalPeak"/>); λ from the zero fraction −ln(N₀/N) below pedestal + 3σ; the single-electron
/// scale from the mean excess (mean − pedestal)/λ. When no bunch is below the cut (high λ) λ comes from the
/// compound-Poisson moments instead: mean − μ0 = λE[X], var − σ0² = λE[X²].
/// </summary>
public static class SeedFinder
{
    public static SpectrumSeeds Find(Histogram1D histogram, SingleElectronResponse response,
        double[]? fixedResponse = null, double? knownPedestal = null, double? knownNoise = null)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var notes = new List<string>();
        var peak = PedestalPeak.Find(histogram);
        double pedestal, noise;
        if (knownPedestal is double kp && knownNoise is double kn)
        {
            pedestal = kp;
            noise = kn;
        }
        else if (peak.Found)
        {
            pedestal = peak.Position;
            noise = Math.Max(peak.Width, 0.05 * histogram.BinWidth);
        }
        else
        {
            notes.Add($"no pedestal peak ({peak.Note}): pedestal and noise are weakly constrained; fix the response and noise from a calibration run");
            pedestal = FirstFilledEdge(histogram);
            noise = 2 * histogram.BinWidth;
        }

        long total = histogram.Entries;
        long below = CountBelow(histogram, pedestal + 3 * noise);
        double mean = histogram.FiniteEntries > 0 ? histogram.Mean : BinnedMean(histogram);
        double variance = histogram.FiniteEntries > 1 ? histogram.Variance : BinnedVariance(histogram, mean);
        double excess = Math.Max(mean - pedestal, 1e-9 * Math.Max(Math.Abs(mean), 1));

        double lambda;
        if (below > 0 && below < total)
        {
            lambda = -Math.Log((double)below / total);
        }
        else if (below >= total)
        {
            lambda = Math.Max(1.0 / total, 1e-4);
            notes.Add("every bunch is below the pedestal cut: no signal");
        }
        else if (fixedResponse is not null)
        {
            lambda = excess / response.Moments(fixedResponse).Mean;
        }
        else
        {
            var shape = response.Moments(response.Seed(1.0));
            double kappa = shape.SecondMoment / (shape.Mean * shape.Mean);
            lambda = excess * excess * kappa / Math.Max(variance - noise * noise, 1e-12);
            notes.Add("no bunch below the pedestal cut: λ seeded from the mean and variance");
        }
        if (!double.IsFinite(lambda) || lambda <= 0) lambda = 1;

        double[] responseSeed = fixedResponse ?? response.Seed(excess / lambda);
        return new SpectrumSeeds(lambda, pedestal, noise, responseSeed, peak, below, notes);
    }

    /// <summary>Entries below <paramref name="cut"/>, the cut moved up to the next bin edge (underflow included).</summary>
    public static long CountBelow(Histogram1D histogram, double cut) => CountBelow(histogram, cut, out _);

    public static long CountBelow(Histogram1D histogram, double cut, out double edge)
    {
        long count = histogram.Underflow;
        var counts = histogram.Counts;
        int bins = (int)Math.Ceiling((cut - histogram.LowEdge) / histogram.BinWidth);
        bins = Math.Clamp(bins, 0, counts.Length);
        for (int i = 0; i < bins; i++) count += counts[i];
        edge = histogram.BinLowEdge(bins);
        return count;
    }

    private static double FirstFilledEdge(Histogram1D h)
    {
        var counts = h.Counts;
        for (int i = 0; i < counts.Length; i++) if (counts[i] > 0) return h.BinCenter(i);
        return h.LowEdge;
    }

    private static double BinnedMean(Histogram1D h)
    {
        double n = 0, s = 0;
        for (int i = 0; i < h.BinCount; i++) { n += h.Counts[i]; s += h.Counts[i] * h.BinCenter(i); }
        return n > 0 ? s / n : double.NaN;
    }

    private static double BinnedVariance(Histogram1D h, double mean)
    {
        double n = 0, s = 0;
        for (int i = 0; i < h.BinCount; i++) { n += h.Counts[i]; s += h.Counts[i] * Math.Pow(h.BinCenter(i) - mean, 2); }
        return n > 1 ? s / (n - 1) : double.NaN;
    }
}
