using BeamDAQ.Analysis.Histograms;

namespace BeamDAQ.Analysis.Fitting.Results;

/// <summary>
/// Everything a multiplicity fit of one spectrum says: λ with its Hesse error (calibration uncertainty
/// included when the response was fixed from one) and profile-likelihood interval, every parameter with its
/// origin, the covariance (to feed back as a calibration), goodness of fit, the λ₀ and mean-method
/// cross-checks, and warnings. An immutable value; "did not converge" is a status, not an exception.
/// </summary>
public sealed record FitResult
{
    public required FitStatus Status { get; init; }
    public bool Converged => Status == FitStatus.Converged;
    public required string StatusReason { get; init; }

    /// <summary>Model description: the response name, "+negative-binomial" when over-dispersion was fitted.</summary>
    public required string Model { get; init; }
    public required string ResponseName { get; init; }
    public string AmplitudeUnit { get; init; } = "";

    public required double Lambda { get; init; }
    public required double LambdaError { get; init; }
    /// <summary>The statistical part of <see cref="LambdaError"/> (response fixed).</summary>
    public required double LambdaErrorStatistical { get; init; }
    /// <summary>The calibration's part of <see cref="LambdaError"/> (0 when nothing was fixed from a calibration).</summary>
    public required double LambdaErrorCalibration { get; init; }
    /// <summary>Profile-likelihood 68.3 % interval (each side widened in quadrature by the calibration part).</summary>
    public required double LambdaLower { get; init; }
    public required double LambdaUpper { get; init; }
    public bool LambdaIntervalFound { get; init; }

    public required IReadOnlyList<FittedParameter> Parameters { get; init; }
    /// <summary>Covariance over <see cref="Parameters"/> (row-major); calibration-fixed rows hold the calibration's covariance.</summary>
    public required double[][] Covariance { get; init; }

    public required int GainIndex { get; init; }
    public string GainUnit { get; init; } = "";

    public required ZeroFractionCheck ZeroFraction { get; init; }
    public MeanMethodCheck? MeanMethod { get; init; }
    public required GoodnessOfFit Goodness { get; init; }
    public OverDispersionTest? OverDispersion { get; init; }

    public required long Events { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];

    public string Minimizer { get; init; } = "";
    public int Iterations { get; init; }
    public long Evaluations { get; init; }
    public double ElapsedMilliseconds { get; init; }

    /// <summary>The fitted histogram's binning and counts.</summary>
    public Histogram1DDto? Histogram { get; init; }
    /// <summary>Expected entries per bin at the fit (same bins as <see cref="Histogram"/>).</summary>
    public double[]? Expected { get; init; }
    /// <summary>Expected entries per bin of n = 0, 1, 2 ... electrons (for plots), when requested.</summary>
    public double[][]? Components { get; init; }

    public FittedParameter Parameter(string name) =>
        Parameters.FirstOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"no parameter '{name}' in the fit result");

    public FittedParameter Gain => Parameters[GainIndex];
    public FittedParameter Pedestal => Parameter("pedestal");
    public FittedParameter Noise => Parameter("noise");

    public double CorrelationOf(string a, string b)
    {
        int i = IndexOf(a), j = IndexOf(b);
        double v = Covariance[i][j], si = Covariance[i][i], sj = Covariance[j][j];
        return si > 0 && sj > 0 ? v / Math.Sqrt(si * sj) : double.NaN;
    }

    private int IndexOf(string name)
    {
        for (int i = 0; i < Parameters.Count; i++) if (Parameters[i].Name == name) return i;
        throw new KeyNotFoundException($"no parameter '{name}' in the fit result");
    }
}
