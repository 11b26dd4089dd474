using BeamDAQ.Analysis.Histograms;
using BeamDAQ.Analysis.Spectrum;
using BeamDAQ.Analysis.Spectrum.Responses;
using BeamDAQ.Analysis.Validation;

namespace BeamDAQ.Analysis.Tests.Fitting;

/// <summary>Toy spectra for the fit tests, sampled event by event with the LEETECH-like truth.</summary>
internal static class FitToys
{
    public static readonly TruncatedLandauResponse Response = new(new LandauVavilov());

    public static ToySpectrumSettings Truth(double lambda) => ToySpectrumSettings.Leetech(lambda);

    public static double[] Amplitudes(double lambda, int bunches, int seed, double overDispersion = 0) =>
        ToyGenerator.Generate(Truth(lambda) with { OverDispersion = overDispersion }, bunches, new SplitMixRandom((ulong)seed));

    public static Histogram1D Histogram(double lambda, int bunches, int seed, double overDispersion = 0, double? scale = null) =>
        Histogram1D.FromSpectrum(Amplitudes(lambda, bunches, seed, overDispersion), scale);
}
