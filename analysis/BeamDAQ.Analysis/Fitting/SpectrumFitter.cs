using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Analysis.Histograms;

namespace BeamDAQ.Analysis.Fitting;

/// <summary>The multiplicity fit of one amplitude spectrum (DESIGN §6).</summary>
public static class SpectrumFitter
{
    /// <summary>
    /// Fits <paramref name="histogram"/> with the compound-Poisson model. Never throws for a fit that fails
    /// (see <see cref="FitResult.Status"/>); throws only for invalid options (a calibration of another response).
    /// </summary>
    public static FitResult Fit(Histogram1D histogram, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new FitEngine([histogram], options).Run().Spectra[0];
    }
}

/// <summary>
/// Several spectra fitted together: one shared single-electron response, one λ (and pedestal, noise) per
/// spectrum — how a λ scan breaks the gain–λ degeneracy of high-λ spectra without a separate calibration.
/// </summary>
public static class SimultaneousFitter
{
    public static SimultaneousFitResult Fit(IReadOnlyList<Histogram1D> histograms, FitOptions options) =>
        new FitEngine(histograms, options).Run().Joint;
}
