namespace BeamDAQ.Analysis.Characterization;

/// <summary>
/// Shapes of a characterization curve y(x), e.g. λ against a collimator aperture or an image length against
/// dissipated power. The threshold models are zero up to the threshold x0 and grow above it.
/// </summary>
public enum CurveModel
{
    /// <summary>y = b + a·x (parameters a, b).</summary>
    Linear,
    /// <summary>y = a·(x − x0) for x &gt; x0, else 0 (parameters a, x0).</summary>
    ThresholdLinear,
    /// <summary>y = a·(x − x0)² for x &gt; x0, else 0 (parameters a, x0).</summary>
    ThresholdQuadratic,
}

public static class CurveModels
{
    /// <summary>The command-line spelling of each model.</summary>
    public static string Name(this CurveModel model) => model switch
    {
        CurveModel.Linear => "linear",
        CurveModel.ThresholdLinear => "threshold-linear",
        CurveModel.ThresholdQuadratic => "threshold-quadratic",
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, null),
    };

    public static bool TryParse(string text, out CurveModel model)
    {
        foreach (var candidate in Enum.GetValues<CurveModel>())
        {
            if (string.Equals(candidate.Name(), text, StringComparison.OrdinalIgnoreCase))
            {
                model = candidate;
                return true;
            }
        }
        model = default;
        return false;
    }

    public static IReadOnlyList<string> ParameterNames(this CurveModel model) =>
        model == CurveModel.Linear ? ["a", "b"] : ["a", "x0"];

    /// <summary>The model's value at <paramref name="x"/> for parameters (a, b) or (a, x0).</summary>
    public static double Evaluate(this CurveModel model, double x, double a, double second) => model switch
    {
        CurveModel.Linear => second + a * x,
        CurveModel.ThresholdLinear => x > second ? a * (x - second) : 0,
        CurveModel.ThresholdQuadratic => x > second ? a * (x - second) * (x - second) : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, null),
    };
}

/// <summary>One measured point of a characterization curve; <see cref="YError"/> is the standard uncertainty of y.</summary>
public readonly record struct CurvePoint(double X, double Y, double YError, string? Label = null);
