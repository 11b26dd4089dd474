using BeamDAQ.Control.Facility.Configuration;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace BeamDAQ.Control.Facility.Beam;

/// <summary>
/// Fits the beam profile (λ_open, σx, σy, edge transparency) to measured λ at known exit openings, with the
/// entrance at its reference. With the LEETECH paper's four settings the four parameters are determined
/// exactly; the result is what configs/facility.yaml keeps, and a test re-runs this fit against it.
/// </summary>
public static class BeamProfileCalibration
{
    /// <summary>The LEETECH paper's Fig. 6 settings: exit opening (x × y mm², centred) and fitted λ ± error.</summary>
    public static readonly IReadOnlyList<CalibrationPoint> LeetechPaper =
    [
        new(1.2, 3.1, 0.7, 0.1),
        new(6.9, 3.1, 2.2, 0.2),
        new(9.9, 3.1, 2.8, 0.1),
        new(9.9, 20.6, 8.7, 0.9),
    ];

    public static BeamProfileFit Fit(BeamConfig config, IReadOnlyList<CalibrationPoint> points)
    {
        if (points.Count < 4)
            throw new ArgumentException($"four parameters need at least four calibration points (got {points.Count})", nameof(points));

        var template = new BeamConfig
        {
            EdgeOnsetMm = config.EdgeOnsetMm,
            Entrance = config.Entrance,
            EnergyWidthMev = 0,
        };
        var reference = JawPositions.Centred(config.Entrance.ReferenceXMm, config.Entrance.ReferenceYMm);

        // Relative residuals: every setting counts alike, whatever its λ.
        Vector<double> Model(Vector<double> p, Vector<double> x)
        {
            var model = new BeamIntensityModel(template, new BeamProfile(p[0], p[1], p[2], p[3]));
            return Vector<double>.Build.Dense(x.Count, i =>
            {
                var point = points[(int)x[i]];
                return model.Lambda(reference, JawPositions.Centred(point.ExitXMm, point.ExitYMm)) / point.Lambda;
            });
        }

        var indices = Vector<double>.Build.Dense(points.Count, i => i);
        var ones = Vector<double>.Build.Dense(points.Count, 1.0);
        var objective = ObjectiveFunction.NonlinearModel(Model, indices, ones);
        var start = Vector<double>.Build.Dense([points.Max(p => p.Lambda) * 1.5, 5.0, 5.0, 1.0]);
        var lower = Vector<double>.Build.Dense([1e-6, 0.1, 0.1, 0.0]);
        var upper = Vector<double>.Build.Dense([1e6, 100, 100, 10]);
        var result = new LevenbergMarquardtMinimizer(gradientTolerance: 1e-15, stepTolerance: 1e-15, functionTolerance: 1e-15, maximumIterations: 10_000)
            .FindMinimum(objective, start, lower, upper);

        var p = result.MinimizingPoint;
        var profile = new BeamProfile(p[0], p[1], p[2], p[3]);
        var fitted = new BeamIntensityModel(template, profile);
        var predicted = points.Select(point => fitted.Lambda(reference, JawPositions.Centred(point.ExitXMm, point.ExitYMm))).ToArray();
        return new BeamProfileFit(profile, predicted, result.ReasonForExit.ToString());
    }
}

/// <summary>A measured λ at a centred exit opening, with its quoted error.</summary>
public readonly record struct CalibrationPoint(double ExitXMm, double ExitYMm, double Lambda, double LambdaError);

public sealed record BeamProfileFit(BeamProfile Profile, IReadOnlyList<double> PredictedLambda, string Convergence);
