using BeamDAQ.Analysis.Fitting;
using BeamDAQ.Analysis.Fitting.Results;
using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Spectrum;
using BeamDAQ.Analysis.Spectrum.Responses;

namespace BeamDAQ.Analysis.Offline;

/// <summary>The multiplicity fit (<see cref="SpectrumFitter"/>) as the offline analysis uses it, chosen by the response name of <c>--response</c>.</summary>
public static class SpectrumFitters
{
    public const string DefaultResponse = "landau";
    public const string ResponseHelp = "Single-electron response of the fit: " + ResponseCatalog.Allowed + " (default landau: truncated at the beam energy)";

    /// <summary>
    /// The fitter for <paramref name="response"/> (default <c>landau</c>) with the Landau–Vavilov physics of the
    /// beam energy and detector thickness; an unknown response is a usage error naming the allowed ones.
    /// </summary>
    public static ISpectrumFitter Create(string? response, double? beamEnergyMeV = null, double? thicknessUm = null)
    {
        var physics = new LandauVavilov();
        if (beamEnergyMeV is { } energy) physics = physics with { KineticEnergyMeV = energy };
        if (thicknessUm is { } thickness) physics = physics with { ThicknessUm = thickness };
        var options = new FitOptions { Response = ResponseCatalog.Create(response ?? DefaultResponse, physics), AmplitudeUnit = "V" };
        return new MultiplicitySpectrumFitter(options);
    }
}

/// <summary>Fits an amplitude spectrum with the compound-Poisson multiplicity model and keeps its full result as the details.</summary>
public sealed class MultiplicitySpectrumFitter(FitOptions options) : ISpectrumFitter
{
    public FitOptions Options { get; } = options;

    public SpectrumFitSummary Fit(Histogram1D histogram, ReadOnlySpan<double> amplitudes)
    {
        var result = SpectrumFitter.Fit(histogram, Options);
        return Summarize(result);
    }

    public static SpectrumFitSummary Summarize(FitResult result) =>
        new(result.Converged, result.Lambda, result.LambdaError,
            result.ZeroFraction.Lambda ?? double.NaN, result.ZeroFraction.Error ?? double.NaN,
            result.Goodness.Chi2, result.Goodness.Ndf, result.Goodness.PValue,
            result.Converged ? null : $"{result.Status}: {result.StatusReason}")
        {
            // The noise in electrons is in units of the mean single-electron amplitude; a response without a
            // mean (untruncated Landau) gives its scale instead.
            SingleElectronAmplitude = result.MeanMethod?.SingleElectronMean ?? result.Gain.Value,
            Details = result,
        };
}
