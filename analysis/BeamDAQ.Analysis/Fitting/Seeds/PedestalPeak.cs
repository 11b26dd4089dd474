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
    // Standard deviation of a normal truncated to ±3σ, in σ: the window's sd is corrected by it.
    private const double TruncatedSdFactor = 0.98658;

    public static PedestalPeak Find(Histogram1D histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        var counts = histogram.Counts;
        long inRange = 0;
        foreach (long c in counts) inRange += c;
        if (inRange < 3) return new PedestalPeak(false, double.NaN, double.NaN, 0, "fewer than 3 entries in range");

        double w = histogram.BinWidth;
        // Start on the lowest entries: a small count that the pedestal holds whenever it is visible at all.
        long start = Math.Clamp(inRange / 1000, 5, 50);
        if (start > inRange) start = inRange;
        long cumulative = 0;
        int firstBin = -1, lastBin = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0) continue;
            if (firstBin < 0) firstBin = i;
            cumulative += counts[i];
            lastBin = i;
            if (cumulative >= start) break;
        }
        var (mu, sd, _, _) = WindowMoments(histogram, histogram.BinLowEdge(firstBin), histogram.BinLowEdge(lastBin + 1));
        sd = Math.Max(sd, 0.5 * w);

        bool settled = false;
        double count = 0, skewness = 0;
        for (int iteration = 0; iteration < 100; iteration++)
        {
            var (m, s, n, g) = WindowMoments(histogram, mu - WindowHalfWidth * sd, mu + WindowHalfWidth * sd);
            s = Math.Max(s / TruncatedSdFactor, 0.3 * w);
            count = n;
            skewness = g;
            bool small = Math.Abs(m - mu) < 1e-4 * s && Math.Abs(s - sd) < 1e-4 * s;
            mu = m;
            sd = s;
            if (small) { settled = true; break; }
        }
        if (!settled) return new PedestalPeak(false, mu, sd, count, "the lowest-peak window did not settle");
        if (count < 3) return new PedestalPeak(false, mu, sd, count, "fewer than 3 entries in the lowest peak");

        double fraction = count / histogram.Entries;
        double spread = Math.Sqrt(histogram.Variance);
        if (double.IsNaN(spread)) spread = sd;
        // A pedestal is narrow next to the spectrum unless (almost) everything is pedestal; then it must at
        // least look Gaussian — the bulk of a high-λ electron continuum holds everything too, but is skewed.
        if (fraction < 0.98 && sd > 0.5 * spread)
            return new PedestalPeak(false, mu, sd, count,
                $"the lowest peak (width {sd:G4}) is as wide as the spectrum (sd {spread:G4}): no separate pedestal");
        double skewLimit = Math.Max(0.25, 5 * Math.Sqrt(6 / count));
        if (fraction >= 0.98 && count >= 30 && Math.Abs(skewness) > skewLimit)
            return new PedestalPeak(false, mu, sd, count,
                $"the lowest peak holds everything but is skewed ({skewness:F2}): an electron continuum, not a pedestal");
        return new PedestalPeak(true, mu, sd, count, "lowest peak");
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
