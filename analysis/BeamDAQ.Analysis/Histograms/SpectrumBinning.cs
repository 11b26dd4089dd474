using BeamDAQ.Analysis.Fitting.Seeds;

namespace BeamDAQ.Analysis.Histograms;

/// <summary>
/// Uniform binning of an amplitude spectrum: <paramref name="BinCount"/> bins of <paramref name="BinWidth"/>
/// from <paramref name="LowEdge"/>.
/// </summary>
public sealed record SpectrumBinning(double LowEdge, double BinWidth, int BinCount)
{
    public const int DefaultMaxBins = 600;

    /// <summary>Bins per single-electron scale (the mean single-electron amplitude).</summary>
    public const double BinsPerElectron = 16;

    public double HighEdge => LowEdge + BinWidth * BinCount;

    public Histogram1D CreateHistogram() => Histogram1D.WithBinWidth(LowEdge, BinWidth, BinCount);

    /// <summary>
    /// Automatic binning tied to the single-electron scale s: width s/16 (but no finer than a fiftieth of the
    /// spectrum's standard deviation, which only matters for broad high-λ spectra), the low edge at least 6
    /// pedestal widths below the pedestal and below every value, the high edge above every value (so nothing
    /// overflows) unless that needs more than <paramref name="maxBins"/> bins, in which case the top 0.05 % go
    /// to the overflow bin and, if still needed, the bins widen. When <paramref name="singleElectronScale"/> is
    /// not given it is estimated from the data: (mean − pedestal)/λ₀ with λ₀ the zero fraction below the
    /// pedestal; without a visible pedestal the width is the spread's fiftieth.
    /// </summary>
    public static SpectrumBinning Choose(ReadOnlySpan<double> values, double? singleElectronScale = null, int maxBins = DefaultMaxBins)
    {
        if (maxBins < 10) throw new ArgumentOutOfRangeException(nameof(maxBins), maxBins, "at least 10 bins");
        var finite = new List<double>(values.Length);
        foreach (double v in values) if (double.IsFinite(v)) finite.Add(v);
        if (finite.Count < 2) return new SpectrumBinning(0, 1.0 / 100, 100);
        finite.Sort();
        double min = finite[0], max = finite[^1];
        double q9995 = finite[(int)Math.Min(finite.Count - 1, Math.Ceiling(0.9995 * (finite.Count - 1)))];
        if (max <= min) return new SpectrumBinning(min - 0.5, 1.0 / 100, 100);

        // A fine look at the data finds the pedestal; its bins only need to resolve the pedestal width.
        double fineHigh = q9995 > min ? q9995 : max;
        var fine = new Histogram1D(min, fineHigh + (fineHigh - min) * 1e-9, 4096);
        foreach (double v in finite) fine.Fill(v);
        var peak = PedestalPeak.Find(fine);

        var (mean, sd) = MeanAndSd(finite);
        double scale = singleElectronScale ?? EstimateScale(finite, peak, mean, sd);
        double width = scale / BinsPerElectron;
        // Broad high-λ spectra need no finer bins than a fiftieth of their spread.
        if (!(width > 0) || !double.IsFinite(width) || width < sd / 50) width = sd / 50;
        if (!(width > 0)) width = (max - min) / 100;

        double low = min;
        if (peak.Found) low = Math.Min(low, peak.Position - 6 * peak.Width);
        low -= width;
        // Edges on multiples of the width: histograms of different runs with the same scale line up.
        low = Math.Floor(low / width) * width;
        int bins = (int)Math.Ceiling((max - low) / width) + 1;
        if (bins > maxBins)
        {
            bins = (int)Math.Ceiling((q9995 - low) / width) + 1;
            if (bins > maxBins)
            {
                width = (q9995 - low) / (maxBins - 1);
                bins = maxBins;
            }
        }
        return new SpectrumBinning(low, width, Math.Max(bins, 10));
    }

    /// <summary>
    /// Bins of a given <paramref name="width"/> (on multiples of it) from four widths below the lowest value
    /// to above the highest, so nothing falls outside: the binning of <c>fit --bin-width</c>.
    /// </summary>
    public static SpectrumBinning WithWidth(ReadOnlySpan<double> values, double width)
    {
        if (!(width > 0) || !double.IsFinite(width)) throw new ArgumentOutOfRangeException(nameof(width), width, "bin width must be positive");
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (min > max) return new SpectrumBinning(0, width, 10);
        double low = Math.Floor(min / width - 4) * width;
        long bins = (long)Math.Ceiling((max - low) / width) + 1;
        if (bins > 10_000_000) throw new ArgumentOutOfRangeException(nameof(width), width, $"a bin width of {width} needs {bins} bins");
        return new SpectrumBinning(low, width, (int)bins);
    }

    private static (double Mean, double Sd) MeanAndSd(List<double> values)
    {
        double mean = 0;
        foreach (double v in values) mean += v;
        mean /= values.Count;
        double variance = 0;
        foreach (double v in values) variance += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(variance / (values.Count - 1)));
    }

    /// <summary>The mean single-electron amplitude (mean − pedestal)/λ₀, or NaN when the data cannot tell.</summary>
    private static double EstimateScale(List<double> sorted, PedestalPeak peak, double mean, double sd)
    {
        if (!peak.Found) return double.NaN;
        double cut = peak.Position + 3 * peak.Width;
        int zero = UpperBound(sorted, cut);
        if (zero == sorted.Count) return 20 * peak.Width; // pedestal only: any scale will do
        if (zero == 0) return double.NaN;
        double lambda0 = -Math.Log((double)zero / sorted.Count);
        return (mean - peak.Position) / lambda0;
    }

    private static int UpperBound(List<double> sorted, double x)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
