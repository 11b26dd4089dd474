using BeamDAQ.Analysis.Histograms;

namespace BeamDAQ.Analysis.Fitting.Seeds;

/// <summary>
/// The lowest peak of an amplitude spectrum, taken as the pedestal (bunches without electrons) when it is
/// narrow and separated from the signal. Found by an iterated ±3σ window that starts on the lowest entries
/// and grows onto the peak; it is rejected when the window does not settle or when the "peak" is as wide as
/// the whole spectrum (high λ: the bulk of the electron continuum, no pedestal left to see).
/// </summary>
public sealed record PedestalPeak(bool Found, double Position, double Width, double Count, string Note)
{
    private const double WindowHalfWidth = 3.0;

    public static PedestalPeak Find(Histogram1D histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var counts = histogram.Counts;
        long inRange = 0;
        foreach (long c in counts) inRange += c;
        if (inRange < 3) return new PedestalPeak(false, double.NaN, double.NaN, 0, "fewer than 3 entries in range");

        double w = histogram.BinWidth;
        // Scale space: smooth the histogram ever more widely until its leftmost peak is a significant one. At
        // too fine a smoothing the leftmost "peak" is a few entries in the pedestal's left tail, which does not
        // stand out from the pedestal rising to its right; the first smoothing that passes is about the
        // pedestal's width.
        var smoothed = new double[counts.Length];
        var scratch = new double[counts.Length];
        double mu = double.NaN, sd = double.NaN;
        double range = histogram.BinCount * w;
        for (double h = w; h < range / 4; h *= 1.4)
        {
            Smooth(counts, h / w, smoothed, scratch);
            int left = (int)Math.Ceiling(4 * h / w), right = (int)Math.Ceiling(8 * h / w), near = (int)Math.Ceiling(2 * h / w);
            // The leftmost point that is the highest from 4 widths to its left to 8 to its right...
            int candidate = -1;
            for (int i = 0; i < smoothed.Length && candidate < 0; i++)
            {
                if (smoothed[i] <= 0) continue;
                if ((i > 0 && smoothed[i - 1] > smoothed[i]) || (i + 1 < smoothed.Length && smoothed[i + 1] > smoothed[i])) continue;
                bool highest = true;
                for (int j = Math.Max(0, i - left); j <= Math.Min(smoothed.Length - 1, i + right) && highest; j++)
                    if (smoothed[j] > smoothed[i]) highest = false;
                if (highest) candidate = i;
            }
            if (candidate < 0) continue;
            // ...is the pedestal if it stands out from its right-hand neighbourhood by 3 standard deviations:
            // n entries within ±2 widths against r in the next 4 widths, (n − r)/√(n + r) ≥ 3. Otherwise this
            // smoothing is too fine (a fluctuation of a tail) and the next, wider one is tried.
            long entries = 0, beyond = 0;
            for (int j = Math.Max(0, candidate - near); j <= Math.Min(counts.Length - 1, candidate + near); j++) entries += counts[j];
            for (int j = candidate + near + 1; j <= Math.Min(counts.Length - 1, candidate + 3 * near); j++) beyond += counts[j];
            int peak = entries >= 5 && (entries - beyond) >= 3 * Math.Sqrt(entries + beyond) ? candidate : -1;
            if (peak < 0) continue;
            mu = histogram.BinCenter(peak);
            sd = Math.Max(h, 0.5 * w);
            break;
        }
        if (double.IsNaN(mu)) return new PedestalPeak(false, double.NaN, double.NaN, 0, "no peak with at least 5 entries at the low end");

        // Refine on the peak: the centre from a narrow window around it (the mode, even for a skewed pedestal
        // or with electrons on its right), the width from its left side only, where no electron can be.
        bool settled = false;
        for (int iteration = 0; iteration < 200; iteration++)
        {
            // Windows never narrower than the bins, or a coarse binning pins the walk between two bins.
            double half = Math.Max(1.5 * sd, 1.5 * w);
            var (m, _, _, _) = WindowMoments(histogram, mu - half, mu + half);
            double s = Math.Max(LeftWidth(histogram, m, m - Math.Max(4 * sd, 3 * w)), 0.3 * w);
            bool small = Math.Abs(m - mu) < 1e-4 * s && Math.Abs(s - sd) < 1e-4 * s;
            mu = m;
            sd = s;
            if (small) { settled = true; break; }
        }
        double count, skewness;
        var (_, _, n, g) = WindowMoments(histogram, mu - WindowHalfWidth * sd, mu + WindowHalfWidth * sd);
        count = n;
        skewness = g;
        if (!settled) return new PedestalPeak(false, mu, sd, count, "the lowest-peak window did not settle");
        if (count < 3) return new PedestalPeak(false, mu, sd, count, "fewer than 3 entries in the lowest peak");

        double fraction = count / histogram.Entries;
        double spread = Math.Sqrt(histogram.Variance);
        if (double.IsNaN(spread)) spread = sd;
        // A pedestal is narrow next to the spectrum unless (almost) everything is pedestal; then it must at
        // least look Gaussian — the bulk of a high-λ electron continuum holds everything too, but is skewed.
        if (fraction < 0.98 && sd > 0.35 * spread)
            return new PedestalPeak(false, mu, sd, count,
                $"the lowest peak (width {sd:G4}) is as wide as the spectrum (sd {spread:G4}): no separate pedestal");
        double skewLimit = Math.Max(0.25, 5 * Math.Sqrt(6 / count));
        if (fraction >= 0.98 && count >= 30 && Math.Abs(skewness) > skewLimit)
            return new PedestalPeak(false, mu, sd, count,
                $"the lowest peak holds everything but is skewed ({skewness:F2}): an electron continuum, not a pedestal");
        return new PedestalPeak(true, mu, sd, count, "lowest peak");
    }

    /// <summary>Three passes of a moving average ≈ a Gaussian of <paramref name="sigmaBins"/> bins.</summary>
    private static void Smooth(ReadOnlySpan<long> counts, double sigmaBins, double[] output, double[] scratch)
    {
        int half = Math.Max(0, (int)Math.Round((Math.Sqrt(4 * sigmaBins * sigmaBins + 1) - 1) / 2));
        for (int i = 0; i < counts.Length; i++) output[i] = counts[i];
        for (int pass = 0; pass < 3; pass++)
        {
            double sum = 0;
            int n = output.Length;
            for (int i = 0; i < Math.Min(half, n); i++) sum += output[i];
            for (int i = 0; i < n; i++)
            {
                if (i + half < n) sum += output[i + half];
                if (i - half - 1 >= 0) sum -= output[i - half - 1];
                scratch[i] = sum / (2 * half + 1);
            }
            Array.Copy(scratch, output, n);
        }
    }

    /// <summary>RMS distance from <paramref name="centre"/> of the entries in [<paramref name="from"/>, centre), Sheppard-corrected.</summary>
    private static double LeftWidth(Histogram1D h, double centre, double from)
    {
        var counts = h.Counts;
        double w = h.BinWidth;
        int i0 = Math.Max(0, (int)Math.Floor((from - h.LowEdge) / w));
        int i1 = Math.Min(counts.Length - 1, (int)Math.Floor((centre - h.LowEdge) / w));
        double n = 0, s2 = 0;
        for (int i = i0; i <= i1; i++)
        {
            if (counts[i] == 0) continue;
            double lo = Math.Max(h.BinLowEdge(i), from), hi = Math.Min(h.BinLowEdge(i) + w, centre);
            if (hi <= lo) continue;
            double weight = counts[i] * (hi - lo) / w;
            double x = 0.5 * (lo + hi) - centre;
            n += weight;
            s2 += weight * x * x;
        }
        return n > 0 ? Math.Sqrt(Math.Max(s2 / n - w * w / 12, 0)) : 0;
    }

    /// <summary>Mean, standard deviation (Sheppard-corrected), count and skewness of the entries in [a, b), bins split pro rata.</summary>
    private static (double Mean, double Sd, double Count, double Skewness) WindowMoments(Histogram1D h, double a, double b)
    {
        var counts = h.Counts;
        double w = h.BinWidth;
        int i0 = Math.Max(0, (int)Math.Floor((a - h.LowEdge) / w));
        int i1 = Math.Min(counts.Length - 1, (int)Math.Floor((b - h.LowEdge) / w));
        double n = 0, s1 = 0, s2 = 0, s3 = 0;
        for (int i = i0; i <= i1; i++)
        {
            if (counts[i] == 0) continue;
            double lo = h.BinLowEdge(i), hi = lo + w;
            double overlap = (Math.Min(hi, b) - Math.Max(lo, a)) / w;
            if (overlap <= 0) continue;
            double weight = counts[i] * Math.Min(1, overlap);
            double x = 0.5 * (Math.Max(lo, a) + Math.Min(hi, b));
            n += weight;
            s1 += weight * x;
            s2 += weight * x * x;
            s3 += weight * x * x * x;
        }
        if (n <= 0) return (0.5 * (a + b), 0.5 * (b - a), 0, 0);
        double mean = s1 / n;
        double raw = Math.Max(0, s2 / n - mean * mean);
        double variance = Math.Max(0, raw - w * w / 12);
        double third = s3 / n - 3 * mean * s2 / n + 2 * mean * mean * mean;
        double skewness = raw > 0 ? third / Math.Pow(raw, 1.5) : 0;
        return (mean, Math.Sqrt(variance), n, skewness);
    }
}
