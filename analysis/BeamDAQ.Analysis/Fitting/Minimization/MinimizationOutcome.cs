namespace BeamDAQ.Analysis.Fitting.Minimization;

/// <summary>Where a minimiser stopped: the natural parameters, the deviance there, and whether and why it converged.</summary>
internal sealed record MinimizationOutcome(
    bool Converged,
    double[] Theta,
    double Deviance,
    double Edm,
    int Iterations,
    string Method,
    string Reason);
