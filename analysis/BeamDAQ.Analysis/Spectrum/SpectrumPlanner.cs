using BeamDAQ.Analysis.Spectrum.Responses;

namespace BeamDAQ.Analysis.Spectrum;

/// <summary>
/// Chooses the window of a <see cref="SpectrumModel"/> for a histogram and a rough idea of the parameters:
/// the pad below the histogram holds the pedestal's left tail; the window's top is where a trial evaluation
/// with a generous λ leaves less than 1e−8 of the probability above (so nothing that wraps round reaches
/// the histogram); the frequencies resolve a noise down to 0.6 of the seed's.
/// </summary>
public static class SpectrumPlanner
{
    private const double TailProbability = 1e-8;
    private const double NoiseFloorFraction = 0.6;

    public static SpectrumModel Plan(double lowEdge, double binWidth, int binCount, SingleElectronResponse response,
        bool overDispersion, ReadOnlySpan<double> seed, out string? warning)
    {
        warning = null;
        double lambda = seed[SpectrumModel.LambdaIndex];
        double pedestal = seed[SpectrumModel.PedestalIndex];
        double noise = seed[SpectrumModel.NoiseIndex];
        double noiseFloor = NoiseFloorFraction * noise;
        double highEdge = lowEdge + binWidth * binCount;

        int pad = Math.Max(4, (int)Math.Ceiling((lowEdge - (pedestal - 8 * noise)) / binWidth) + 2);
        double origin = lowEdge + 0.5 * binWidth - pad * binWidth;
        double span = highEdge - origin;
        int offset = overDispersion ? 4 : 3;
        double maximum = response.MaximumAmplitude(seed[offset..]);
        double trialSpan = 4 * span;
        if (double.IsFinite(maximum)) trialSpan = Math.Max(trialSpan, span + 3 * maximum);
        trialSpan = Math.Min(trialSpan, 64 * span);

        var trialGrid = SpectrumGrid.Create(lowEdge, binWidth, binCount, pad, trialSpan, noiseFloor);
        var trial = new SpectrumModel(trialGrid, response, overDispersion);
        var trialParameters = seed.ToArray();
        trialParameters[SpectrumModel.LambdaIndex] = 1.5 * lambda + 0.5;
        var coarse = trial.CoarseProbabilities(trialParameters);
        double above = 0;
        int end = coarse.Length - 1;
        while (end > 0 && above + Math.Max(coarse[end], 0) < TailProbability) above += Math.Max(coarse[end--], 0);
        double tailEnd = (end + 1) * trialGrid.Period / trialGrid.CoarseLength;

        double required;
        if (tailEnd > 0.9 * trialGrid.Period)
        {
            required = trialGrid.Period;
            warning = $"the model's tail extends beyond {trialGrid.Period:G4} above the window start; mass beyond it wraps round the FFT window";
        }
        else
        {
            required = Math.Max(1.05 * tailEnd, span + 2 * binWidth);
        }
        var grid = SpectrumGrid.Create(lowEdge, binWidth, binCount, pad, required, noiseFloor, seed.Length);
        return new SpectrumModel(grid, response, overDispersion);
    }
}
