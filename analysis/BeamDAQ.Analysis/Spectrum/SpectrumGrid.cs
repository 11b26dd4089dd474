namespace BeamDAQ.Analysis.Spectrum;

/// <summary>
/// Where a spectrum model lives. The histogram's bins (width w from <see cref="LowEdge"/>) sit inside a
/// periodic amplitude window of length <see cref="Period"/> sampled at <see cref="CoarseLength"/> points
/// (w/<see cref="Oversample"/> apart, one every <see cref="Oversample"/> at a bin centre), preceded by
/// <see cref="PadBins"/> bins below the histogram that take the pedestal's left tail and whatever the
/// transform wraps round from beyond the window's top. Characteristic functions are needed at
/// <see cref="FrequencyCount"/> frequencies 2πm/Period — as many as the narrowest feature, the noise at
/// <see cref="NoiseFloor"/>, requires; they are folded onto the coarse points, so the inverse transform only
/// costs as much as the histogram is long.
/// </summary>
public sealed record SpectrumGrid(
    double LowEdge,
    double BinWidth,
    int BinCount,
    int PadBins,
    int Oversample,
    int CoarseLength,
    int FrequencyCount,
    double NoiseFloor)
{
    public double Period => CoarseLength * BinWidth / Oversample;

    /// <summary>Amplitude of coarse point 0: the centre of the lowest pad bin.</summary>
    public double Origin => LowEdge + 0.5 * BinWidth - PadBins * BinWidth;

    public double HighEdge => LowEdge + BinWidth * BinCount;

    public FrequencyGrid Frequencies => new(Period, FrequencyCount);

    /// <summary>Coarse index of bin <paramref name="bin"/>'s centre.</summary>
    public int CoarseIndexOfBin(int bin) => (PadBins + bin) * Oversample;

    /// <summary>The most frequencies a model evaluates (a noise far below the bin width needs no more).</summary>
    public const int MaximumFrequencies = 1 << 18;

    /// <summary>Frequencies needed so that the dropped part of the noise factor exp(−σ²t²/2) is below e^−25.</summary>
    public static int FrequenciesFor(double period, double noise)
    {
        double needed = Math.Sqrt(50) / noise / (2 * Math.PI / period) + 2;
        return needed >= MaximumFrequencies || !double.IsFinite(needed) ? MaximumFrequencies : (int)Math.Ceiling(needed);
    }

    /// <summary>
    /// A window of at least <paramref name="requiredPeriod"/> with a power-of-two number of coarse points and
    /// 1, 3, 5 or 7 points per bin, whichever is estimated cheapest to evaluate: the per-frequency work grows
    /// with the window, the inverse transforms (one per parameter) with the number of coarse points.
    /// </summary>
    public static SpectrumGrid Create(double lowEdge, double binWidth, int binCount, int padBins, double requiredPeriod,
        double noiseFloor, int parameterCount = 6)
    {
        int bestOversample = 1, bestLength = 0;
        double bestCost = double.PositiveInfinity;
        foreach (int oversample in (int[])[1, 3, 5, 7])
        {
            double points = requiredPeriod / binWidth * oversample;
            int length = (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Ceiling(points)));
            double period = length * binWidth / oversample;
            int frequencies = FrequenciesFor(period, noiseFloor);
            double responseLength = System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * frequencies));
            double cost = (parameterCount + 4) * frequencies
                          + (parameterCount + 1) * 0.5 * length * Math.Log2(length)
                          + 1.5 * responseLength * Math.Log2(responseLength);
            if (cost < bestCost * 0.999)
            {
                bestCost = cost;
                bestOversample = oversample;
                bestLength = length;
            }
        }
        double bestPeriod = bestLength * binWidth / bestOversample;
        return new SpectrumGrid(lowEdge, binWidth, binCount, padBins, bestOversample, bestLength,
            FrequenciesFor(bestPeriod, noiseFloor), noiseFloor);
    }
}
