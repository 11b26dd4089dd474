using System.CommandLine;
using BeamDAQ.Analysis.Offline;

namespace BeamDAQ.Analysis.Commands;

/// <summary>The multiplicity fit as the offline commands use it, chosen by <c>--response</c>.</summary>
internal static class SpectrumFitters
{
    public static Option<string?> ResponseOption() => new("--response")
    {
        Description = "Single-electron response of the fit: landau (default), landau-untruncated, gauss or template:FILE",
        HelpName = "R",
    };

    /// <summary>The fitter for <paramref name="response"/>; null while no multiplicity fit is available to the offline analysis.</summary>
    public static ISpectrumFitter? Create(string? response) => null;
}
