namespace BeamDAQ.Analysis.Characterization;

/// <summary>
/// The noise expressed in units of the single-electron signal: how many electrons' worth of amplitude one
/// standard deviation of noise is, and its inverse, the single-electron signal-to-noise ratio.
/// </summary>
public readonly record struct SignalToNoise(double NoiseRms, double SingleElectronAmplitude)
{
    /// <summary>Noise RMS / single-electron amplitude.</summary>
    public double NoiseInElectrons => NoiseRms / SingleElectronAmplitude;

    /// <summary>Single-electron amplitude / noise RMS.</summary>
    public double Ratio => SingleElectronAmplitude / NoiseRms;

    /// <summary>The ratio in dB (amplitude ratio: 20·log10).</summary>
    public double RatioDb => 20 * Math.Log10(Ratio);
}
