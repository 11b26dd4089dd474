namespace BeamDAQ.Analysis.Characterization;

/// <summary>
/// A weighted least-squares fit of a <see cref="CurveModel"/>: parameter values, their standard errors and
/// covariance, χ² and its p-value. A fit that could not be done says so in <see cref="Problem"/> instead of throwing.
/// </summary>
public sealed record CurveFitResult(
    CurveModel Model,
    IReadOnlyList<string> ParameterNames,
    double[] Values,
    double[] Errors,
    double[,] Covariance,
    double ChiSquare,
    int DegreesOfFreedom,
    double PValue,
    int Points,
    string? Problem)
{
    public bool IsValid => Problem is null;

    public double ChiSquarePerDegreeOfFreedom => DegreesOfFreedom > 0 ? ChiSquare / DegreesOfFreedom : double.NaN;

    /// <summary>Correlation coefficient of the two parameters.</summary>
    public double Correlation => Covariance[0, 1] / Math.Sqrt(Covariance[0, 0] * Covariance[1, 1]);

    public double Evaluate(double x) => Model.Evaluate(x, Values[0], Values[1]);

    internal static CurveFitResult Failed(CurveModel model, int points, string problem) =>
        new(model, model.ParameterNames(), [double.NaN, double.NaN], [double.NaN, double.NaN], new double[2, 2],
            double.NaN, Math.Max(0, points - 2), double.NaN, points, problem);
}
