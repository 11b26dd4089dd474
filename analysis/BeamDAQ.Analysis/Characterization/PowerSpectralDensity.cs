namespace BeamDAQ.Analysis.Characterization;

/// <summary>A one-sided power spectral density in V²/Hz at <see cref="Frequencies"/> (Hz), from <see cref="Segments"/> averaged segments.</summary>
public sealed record PowerSpectralDensity(double[] Frequencies, double[] Density, double SampleRate, int SegmentLength, long Segments)
{
    /// <summary>Frequency spacing of the bins, Hz.</summary>
    public double Resolution => SampleRate / SegmentLength;

    /// <summary>Noise power (V²) between <paramref name="lowHz"/> and <paramref name="highHz"/>: the density summed over the bins whose centre lies in the band, times the bin width.</summary>
    public double BandPower(double lowHz, double highHz)
    {
        double sum = 0;
        for (int k = 0; k < Frequencies.Length; k++)
            if (Frequencies[k] >= lowHz && Frequencies[k] <= highHz) sum += Density[k];
        return sum * Resolution;
    }

    /// <summary>Mean density over the bins whose centre lies in the band, V²/Hz.</summary>
    public double MeanDensity(double lowHz, double highHz)
    {
        double sum = 0;
        int count = 0;
        for (int k = 0; k < Frequencies.Length; k++)
        {
            if (Frequencies[k] < lowHz || Frequencies[k] > highHz) continue;
            sum += Density[k];
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Frequency of the largest density above DC.</summary>
    public double PeakFrequency()
    {
        int best = 1;
        for (int k = 2; k < Density.Length; k++)
            if (Density[k] > Density[best]) best = k;
        return Density.Length > 1 ? Frequencies[best] : double.NaN;
    }
}
