using BeamDAQ.Analysis.Spectrum.Responses;

namespace BeamDAQ.Analysis.Spectrum;

/// <summary>
/// Chooses the window of a <see cref="SpectrumModel"/> for a histogram and a rough idea of the parameters.
/// A trial evaluation on a generous window (with a generous λ) shows where the spectrum's probability really
/// lies: the pad below the histogram must hold everything below it (the pedestal's left tail, and electrons
/// of a Gaussian response that fluctuate below zero), and the window's top must leave less than 1e−7 of the
/// probability beyond it, so that nothing that wraps round the periodic window reaches the pad or the bins.
/// The frequencies resolve a noise down to 0.6 of the seed's (or a tenth of a bin, if that is wider).
/// </summary>
public static class SpectrumPlanner
{
    private const double TailProbability = 1e-7;
    private const double NoiseFloorFraction = 0.6;

    /// <summary>
    /// The longest window, in bins: 32,768 bins hold λ = 15 at 16 bins per electron a hundred times over. A
    /// minimiser's trial point far off (a noise of volts on a millivolt histogram) asked for windows of 4 million
    /// points, hundreds of MB per evaluation; such a point gets a capped window (its wrapped tail only makes its
    /// already poor likelihood worse) instead of exhausting memory.
    /// </summary>
    public const int MaximumWindowBins = 1 << 15;

    public static SpectrumModel Plan(double lowEdge, double binWidth, int binCount, SingleElectronResponse response,
        bool overDispersion, ReadOnlySpan<double> seed, out string? warning)
    {
        warning = null;
        double lambda = seed[SpectrumModel.LambdaIndex];
        // Plan for a pedestal and a noise the histogram could show: a trial point far outside only needs a bounded window.
        double range = binWidth * binCount;
        double pedestal = Math.Clamp(seed[SpectrumModel.PedestalIndex], lowEdge - range, lowEdge + range);
        double noise = Math.Min(seed[SpectrumModel.NoiseIndex], range);
        double longest = MaximumWindowBins * binWidth;
        // A noise far below the bin width needs no finer sampling than a tenth of a bin.
        double noiseFloor = Math.Max(NoiseFloorFraction * noise, 0.1 * binWidth);
        double highEdge = lowEdge + binWidth * binCount;
        double span = highEdge - Math.Min(lowEdge, pedestal - 8 * noise);

        // Trial: a pad as long as the histogram below it, a window four times the span above.
        int trialPad = Math.Max(4, (int)Math.Ceiling((lowEdge - (pedestal - 8 * noise)) / binWidth) + 2) + (int)Math.Ceiling(span / binWidth);
        double trialOrigin = lowEdge + 0.5 * binWidth - trialPad * binWidth;
        int offset = overDispersion ? 4 : 3;
        double maximum = response.MaximumAmplitude(seed[offset..]);
        double trialSpan = (highEdge - trialOrigin) + 3 * span;
        if (double.IsFinite(maximum)) trialSpan = Math.Max(trialSpan, highEdge - trialOrigin + 3 * maximum);
        trialSpan = Math.Max(Math.Min(Math.Min(trialSpan, 64 * span), longest), highEdge - trialOrigin + 2 * binWidth);
        // The trial only has to see where the probability ends, not resolve the pedestal: a wider noise smears
        // the edges outwards (so errs on the safe side) and keeps the trial's frequencies few.
        double trialNoise = Math.Max(noise, 2 * binWidth);
        var trialGrid = SpectrumGrid.Create(lowEdge, binWidth, binCount, trialPad, trialSpan, NoiseFloorFraction * trialNoise);
        var trial = new SpectrumModel(trialGrid, response, overDispersion);
        var trialParameters = seed.ToArray();
        trialParameters[SpectrumModel.LambdaIndex] = 1.2 * lambda + 0.3;
        trialParameters[SpectrumModel.NoiseIndex] = trialNoise;
        var coarse = trial.CoarseProbabilities(trialParameters);
        double step = trialGrid.Period / trialGrid.CoarseLength;

        double above = 0;
        int end = coarse.Length - 1;
        while (end > 0 && above + Math.Max(coarse[end], 0) < TailProbability) above += Math.Max(coarse[end--], 0);
        double below = 0;
        int start = 0;
        while (start < end && below + Math.Max(coarse[start], 0) < TailProbability) below += Math.Max(coarse[start++], 0);
        double left = trialGrid.Origin + start * step;
        double right = trialGrid.Origin + (end + 1) * step;

        int pad = Math.Max(4, (int)Math.Ceiling((lowEdge - left) / binWidth) + 2);
        double origin = lowEdge + 0.5 * binWidth - pad * binWidth;
        double required;
        if (start == 0 || end > coarse.Length - 1 - trialGrid.Oversample)
        {
            required = trialGrid.Period;
            warning = $"the model's probability reaches the ends of a {trialGrid.Period:G4}-long window; mass beyond it wraps round the FFT window";
        }
        else
        {
            required = Math.Max(1.05 * (right - origin), highEdge - origin + 2 * binWidth);
        }
        if (required > longest && longest > highEdge - origin + 2 * binWidth)
        {
            required = longest;
            warning ??= $"the model asked for a window of more than {MaximumWindowBins} bins; capped there (mass beyond it wraps round)";
        }
        var grid = SpectrumGrid.Create(lowEdge, binWidth, binCount, pad, required, noiseFloor, seed.Length);
        return new SpectrumModel(grid, response, overDispersion);
    }
}
