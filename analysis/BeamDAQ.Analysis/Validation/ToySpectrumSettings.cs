namespace BeamDAQ.Analysis.Validation;

/// <summary>
/// The truth of a toy spectrum: multiplicity mean <paramref name="Lambda"/> (negative binomial when
/// <paramref name="OverDispersion"/> = 1/k &gt; 0), a truncated-Landau single-electron response
/// (<paramref name="MostProbable"/>, width ξ = <paramref name="WidthRatio"/>·MPV, kept on
/// [0, <paramref name="CapInMostProbable"/>·MPV]), Gaussian <paramref name="Noise"/> and <paramref name="Pedestal"/>.
/// </summary>
public sealed record ToySpectrumSettings(
    double Lambda,
    double Pedestal,
    double Noise,
    double MostProbable,
    double WidthRatio,
    double CapInMostProbable,
    double OverDispersion = 0)
{
    /// <summary>
    /// LEETECH-like truth in mV: pedestal 3.3, noise 0.55, most probable 12 mV, ξ/MPV = 0.077 (FWHM/MPV ≈ 0.31
    /// as in the Geant4 templates), cap at 2.7 MeV for a 500 µm diamond.
    /// </summary>
    public static ToySpectrumSettings Leetech(double lambda) =>
        new(lambda, 3.3, 0.55, 12.0, 0.077, new Spectrum.LandauVavilov().CapInMostProbable);
}
