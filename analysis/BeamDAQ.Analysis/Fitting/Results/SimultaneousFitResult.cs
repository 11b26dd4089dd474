namespace BeamDAQ.Analysis.Fitting.Results;

/// <summary>
/// A simultaneous fit of several spectra with one shared single-electron response and one λ (and pedestal,
/// noise) per spectrum. <see cref="Spectra"/> holds a per-spectrum view (its λ, its cross-checks, the shared
/// response parameters with their errors); <see cref="Covariance"/> is the joint one over <see cref="ParameterNames"/>.
/// </summary>
public sealed record SimultaneousFitResult
{
    public required FitStatus Status { get; init; }
    public bool Converged => Status == FitStatus.Converged;
    public required string StatusReason { get; init; }
    public required IReadOnlyList<FitResult> Spectra { get; init; }
    public required IReadOnlyList<string> ParameterNames { get; init; }
    public required double[] Values { get; init; }
    public required double[][] Covariance { get; init; }
    public required double Deviance { get; init; }
    public required double Chi2 { get; init; }
    public required int Ndf { get; init; }
    public required double PValue { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }
    public double ElapsedMilliseconds { get; init; }
}
