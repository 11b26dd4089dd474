namespace BeamDAQ.Control.Catalog;

/// <summary>
/// A multiplicity fit of a run: λ (mean electrons per bunch) with its Hesse error and profile-likelihood interval,
/// the zero-fraction cross-check λ₀, goodness of fit, the model, the fit's complete JSON and the software that
/// made it. A fit that did not converge is stored as such (<see cref="Converged"/> false), never dropped.
/// </summary>
public sealed record FitRecord
{
    public required long Run { get; init; }
    public required DateTimeOffset TimeUtc { get; init; }
    public required double Lambda { get; init; }
    public double? LambdaError { get; init; }
    public double? IntervalLow { get; init; }
    public double? IntervalHigh { get; init; }
    /// <summary>Zero-fraction estimate λ₀ = −ln(N₀/N).</summary>
    public double? LambdaZeroFraction { get; init; }
    public double? Chi2 { get; init; }
    public long? Ndf { get; init; }
    public double? PValue { get; init; }
    public required bool Converged { get; init; }
    /// <summary>The spectrum model, e.g. "compound-poisson/landau".</summary>
    public required string Model { get; init; }
    /// <summary>The fit result as the analysis published it, JSON text.</summary>
    public string? ResultJson { get; init; }
    public required string SoftwareVersion { get; init; }
    /// <summary>The catalog's row id; 0 before it is stored.</summary>
    public long Id { get; init; }

    public double? Chi2PerNdf => Chi2 is { } chi2 && Ndf is > 0 and { } ndf ? chi2 / ndf : null;
}
