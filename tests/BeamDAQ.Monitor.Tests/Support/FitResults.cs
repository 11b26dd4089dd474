using BeamDAQ.Analysis.Fitting.Results;

namespace BeamDAQ.Monitor.Tests.Support;

/// <summary>Fit results made by hand, for tests of what the monitor does with a fit rather than of the fit itself.</summary>
public static class FitResults
{
    public static FitResult Converged(double lambda) => new()
    {
        Status = FitStatus.Converged,
        StatusReason = "test",
        Model = "landau",
        ResponseName = "landau",
        Lambda = lambda,
        LambdaError = 0.05,
        LambdaErrorStatistical = 0.05,
        LambdaErrorCalibration = 0,
        LambdaLower = lambda - 0.05,
        LambdaUpper = lambda + 0.05,
        Parameters = [new FittedParameter("lambda", lambda, 0.05, ParameterSource.Fitted, "mean electrons per bunch")],
        Covariance = [[0.0025]],
        GainIndex = 0,
        ZeroFraction = new ZeroFractionCheck(0.005, 100, 300, lambda, 0.06, lambda, false),
        Goodness = new GoodnessOfFit(10, 20, 10, 20, 17, 0.9),
        Events = 300,
        Warnings = [],
    };
}
