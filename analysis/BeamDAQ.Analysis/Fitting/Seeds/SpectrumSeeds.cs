namespace BeamDAQ.Analysis.Fitting.Seeds;

/// <summary>Starting values of one spectrum's fit, and how they were found.</summary>
public sealed record SpectrumSeeds(
    double Lambda,
    double Pedestal,
    double Noise,
    double[] Response,
    PedestalPeak Peak,
    long BelowPedestalCut,
    IReadOnlyList<string> Notes);
