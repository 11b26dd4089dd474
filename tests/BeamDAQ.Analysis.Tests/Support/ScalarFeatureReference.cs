using BeamDAQ.Analysis.Features;

namespace BeamDAQ.Analysis.Tests.Support;

/// <summary>
/// The features by their definitions, written as plainly as possible (one loop per quantity, doubles, two-pass
/// variance), as the reference the vectorised extractor must agree with.
/// </summary>
internal static class ScalarFeatureReference
{
    public static ChannelFeatures Compute(short[] codes, ChannelCalibration cal, int pre, double fs, FeatureSettings settings, bool flagged)
    {
        int n = codes.Length;
        int trigger = Math.Min(pre, n);
        var f = new ChannelFeatures { ChannelId = cal.ChannelId };
        bool over = flagged;
        var (b0, b1) = settings.BaselineWindow is { } bw ? bw.Resolve(trigger, fs, 0, trigger) : (0, trigger);
        double baselineCode = double.NaN;
        if (b1 > b0)
        {
            double mean = 0;
            for (int i = b0; i < b1; i++) mean += codes[i];
            mean /= b1 - b0;
            double variance = 0;
            for (int i = b0; i < b1; i++) variance += (codes[i] - mean) * (codes[i] - mean);
            variance /= b1 - b0;
            baselineCode = mean;
            f.Baseline = cal.Offset + cal.Lsb * mean;
            f.BaselineRms = cal.Lsb * Math.Sqrt(variance);
            for (int i = b0; i < b1; i++) over |= codes[i] >= cal.ClipHighCode || codes[i] <= cal.ClipLowCode;
        }
        else
        {
            f.Baseline = f.BaselineRms = double.NaN;
            f.Quality |= FeatureQuality.NoBaseline;
        }
        f.BaselineSamples = b1 - b0;

        var (s0, s1) = settings.SignalWindow is { } sw ? sw.Resolve(trigger, fs, 0, n) : (trigger, n);
        if (s1 > s0)
        {
            int peak = s0;
            for (int i = s0; i < s1; i++)
            {
                bool better = settings.Polarity == Polarity.Positive ? codes[i] > codes[peak] : codes[i] < codes[peak];
                if (better) peak = i;
                over |= codes[i] >= cal.ClipHighCode || codes[i] <= cal.ClipLowCode;
            }
            f.PeakIndex = peak;
            f.PeakTime = (peak - trigger) / fs;
            double height = cal.Lsb * (codes[peak] - baselineCode);
            f.Amplitude = settings.Polarity == Polarity.Positive ? height : -height;
        }
        else
        {
            f.PeakIndex = -1;
            f.PeakTime = f.Amplitude = double.NaN;
            f.Quality |= FeatureQuality.EmptySignalWindow;
        }

        var (i0, i1) = (settings.IntegralWindow ?? settings.SignalWindow) is { } iw ? iw.Resolve(trigger, fs, 0, n) : (trigger, n);
        double integral = 0;
        for (int i = i0; i < i1; i++) integral += cal.Lsb * (codes[i] - baselineCode) / fs;
        if (double.IsNaN(baselineCode)) integral = double.NaN;
        f.Integral = settings.Polarity == Polarity.Positive ? integral : -integral;
        if (over) f.Quality |= FeatureQuality.OverRange;
        return f;
    }
}
