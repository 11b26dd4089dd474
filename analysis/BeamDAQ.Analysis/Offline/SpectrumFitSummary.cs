namespace BeamDAQ.Analysis.Offline;

/// <summary>
/// The figures of a multiplicity fit that the offline tables and scans use: λ ± Δλ, the zero-fraction
/// cross-check λ₀ and the goodness of fit. <see cref="Problem"/> says why a fit did not converge.
/// </summary>
public sealed record SpectrumFitSummary(
    bool Converged,
    double Lambda,
    double LambdaError,
    double ZeroFractionLambda,
    double ZeroFractionLambdaError,
    double ChiSquare,
    int DegreesOfFreedom,
    double PValue,
    string? Problem)
{
    public double ChiSquarePerDegreeOfFreedom => DegreesOfFreedom > 0 ? ChiSquare / DegreesOfFreedom : double.NaN;

    /// <summary>Mean amplitude of one electron (volts) as the fit found it, NaN when the fit does not say: the unit of the noise in electrons.</summary>
    public double SingleElectronAmplitude { get; init; } = double.NaN;

    /// <summary>The fit's own result object (for JSON output), when it has more to say.</summary>
    public object? Details { get; init; }
}
