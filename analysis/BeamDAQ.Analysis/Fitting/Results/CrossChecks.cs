namespace BeamDAQ.Analysis.Fitting.Results;

/// <summary>
/// The zero-fraction cross-check λ₀ = −ln(N₀/N): N₀ bunches below <see cref="Cut"/> (pedestal + 3σ by
/// default, moved up to a bin edge), binomial error √((1 − p)/(N p)). <see cref="ModelExpectation"/> is the
/// same quantity predicted by the fitted model (it differs from λ by the pedestal tail above the cut and
/// electrons below it), which is what λ₀ is compared with. λ₀ is null when no bunch is below the cut.
/// </summary>
public sealed record ZeroFractionCheck(double Cut, long BelowCut, long Events, double? Lambda, double? Error, double? ModelExpectation, bool Disagrees);

/// <summary>
/// The mean-method cross-check: λ = (mean amplitude − pedestal)/(mean single-electron amplitude of the
/// fitted response), with the error of the sample mean and of the response mean. Null when the response has
/// no mean (untruncated Landau).
/// </summary>
public sealed record MeanMethodCheck(double MeanAmplitude, double SingleElectronMean, double? Lambda, double? Error, bool Disagrees);

/// <summary>
/// Goodness of fit: the deviance over all bins, and χ² = the same likelihood-ratio statistic after merging
/// neighbouring bins until each expects at least 5 entries, with ndf = merged bins − 1 − free parameters.
/// </summary>
public sealed record GoodnessOfFit(double Deviance, int Bins, double Chi2, int MergedBins, int Ndf, double PValue);

/// <summary>Likelihood-ratio test of the negative-binomial multiplicity against Poisson (boundary: one-sided).</summary>
public sealed record OverDispersionTest(double DevianceReduction, double Significance);
