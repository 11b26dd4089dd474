namespace BeamDAQ.Analysis.Fitting.Results;

/// <summary>How a fit ended. A fit that did not converge is still a result (an expected failure), never an exception.</summary>
public enum FitStatus
{
    /// <summary>The minimiser met its EDM criterion.</summary>
    Converged,
    /// <summary>Every method and restart ended without meeting the criterion; values are the best point found.</summary>
    NotConverged,
    /// <summary>The fit could not be attempted (no entries, no finite deviance at any seed).</summary>
    Failed,
}

/// <summary>Where a parameter's value comes from.</summary>
public enum ParameterSource
{
    Fitted,
    /// <summary>Fixed from a calibration fit; its covariance is propagated into the fitted parameters' errors.</summary>
    Calibration,
}
