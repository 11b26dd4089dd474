using BeamDAQ.Analysis.Fitting.Likelihood;
using BeamDAQ.Analysis.Fitting.Minimization;

namespace BeamDAQ.Analysis.Fitting.Errors;

/// <summary>
/// The error matrix at the minimum from numerical second derivatives: one-sided differences of the analytic
/// gradient, with steps of 1/1000 of each parameter's Fisher-estimated error — small against the curvature's
/// scale (the truncation error is of that relative order, far below what matters for an error) and large
/// against rounding; symmetrised. One gradient per parameter instead of two. Covariance = 2 H⁻¹ because D = −2 ln L. Parameters fixed from a
/// calibration get rows too, so that their covariance can be propagated: with the others re-minimised,
/// dθ_free/dθ_cal = −H_ff⁻¹ H_fc and V = 2H_ff⁻¹ + J C Jᵀ.
/// </summary>
internal static class Hesse
{
    private const double StepFraction = 1e-3;

    /// <summary>H over <paramref name="indices"/> (row-major), symmetrised.</summary>
    public static double[] SecondDerivatives(JointDeviance deviance, double[] theta, int[] indices, double[] errors,
        IReadOnlyList<Spectrum.ParameterSpec> specs)
    {
        int n = deviance.ParameterCount, k = indices.Length;
        var h = new double[k * k];
        var atMinimum = new double[n];
        var shifted = new double[n];
        var point = (double[])theta.Clone();
        deviance.Evaluate(point, atMinimum, default);
        for (int j = 0; j < k; j++)
        {
            int index = indices[j];
            double step = StepFraction * errors[j];
            if (!(step > 0) || !double.IsFinite(step)) step = 1e-6 * Math.Max(Math.Abs(theta[index]), 1e-6);
            // Step away from a bound, never across it.
            double direction = specs[index].Kind != Spectrum.ParameterKind.Real && theta[index] - step <= 0 ? 1 : -1;
            if (specs[index].Kind == Spectrum.ParameterKind.Real) direction = 1;
            point[index] = theta[index] + direction * step;
            deviance.Evaluate(point, shifted, default);
            point[index] = theta[index];
            for (int i = 0; i < k; i++) h[i * k + j] = (shifted[indices[i]] - atMinimum[indices[i]]) / (direction * step);
        }
        for (int i = 0; i < k; i++)
            for (int j = 0; j < i; j++)
            {
                double mean = 0.5 * (h[i * k + j] + h[j * k + i]);
                h[i * k + j] = h[j * k + i] = mean;
            }
        return h;
    }

    /// <summary>Errors from the Fisher information (diagonal of 2F⁻¹), used to size the Hesse steps.</summary>
    public static double[] FisherErrors(JointDeviance deviance, double[] theta, int[] indices)
    {
        int n = deviance.ParameterCount, k = indices.Length;
        var gradient = new double[n];
        var fisher = new double[n * n];
        deviance.Evaluate(theta, gradient, fisher);
        var sub = new double[k * k];
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++) sub[a * k + b] = fisher[indices[a] * n + indices[b]];
        var inverse = SmallMatrix.InverseSpd(sub, k);
        var errors = new double[k];
        for (int a = 0; a < k; a++)
        {
            double v = inverse is null ? 1 / Math.Max(sub[a * k + a], 1e-300) : inverse[a * k + a];
            errors[a] = Math.Sqrt(2 * Math.Max(v, 0));
        }
        return errors;
    }
}
