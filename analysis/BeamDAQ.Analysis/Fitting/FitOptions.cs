using BeamDAQ.Analysis.Fitting.Calibration;
using BeamDAQ.Analysis.Spectrum.Responses;

namespace BeamDAQ.Analysis.Fitting;

/// <summary>What to fit and how. Starting values are deliberately not an option: seeds are always automatic.</summary>
public sealed record FitOptions
{
    /// <summary>The single-electron response (see <see cref="ResponseCatalog"/>).</summary>
    public required SingleElectronResponse Response { get; init; }

    /// <summary>Fit a negative-binomial multiplicity (over-dispersion 1/k) and test it against Poisson.</summary>
    public bool OverDispersion { get; init; }

    /// <summary>
    /// Fix the response from an earlier fit, propagating its covariance into λ's error. Pedestal and noise are
    /// also taken from it when the spectrum has fewer than <see cref="MinimumPedestalEntries"/> pedestal entries.
    /// </summary>
    public ResponseCalibration? Calibration { get; init; }

    /// <summary>λ₀ counts bunches below pedestal + this many noise σ (moved up to a bin edge).</summary>
    public double PedestalCutSigma { get; init; } = 3;

    /// <summary>An absolute λ₀ cut in amplitude units, instead of <see cref="PedestalCutSigma"/>.</summary>
    public double? PedestalCut { get; init; }

    /// <summary>Compute the profile-likelihood interval of λ (a few conditional fits).</summary>
    public bool ProfileInterval { get; init; } = true;

    /// <summary>Put the histogram, the expected counts and the per-multiplicity components into the result.</summary>
    public bool IncludeSpectrum { get; init; }

    /// <summary>Restarts from perturbed seeds when no method converges.</summary>
    public int Restarts { get; init; } = 3;

    /// <summary>Seed of the random source that perturbs restarts (results are reproducible).</summary>
    public int RandomSeed { get; init; } = 20151;

    /// <summary>Unit of the amplitudes, for reports (e.g. "mV").</summary>
    public string AmplitudeUnit { get; init; } = "";

    public int MinimumPedestalEntries { get; init; } = 50;

    /// <summary>Minimise with BFGS (then Fisher scoring to finish) instead of Fisher scoring: for comparisons.</summary>
    public bool QuasiNewtonOnly { get; init; }
}
