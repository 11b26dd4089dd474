using BeamDAQ.Analysis.Fitting.Likelihood;
using BeamDAQ.Analysis.Fitting.Minimization;

namespace BeamDAQ.Analysis.Fitting.Errors;

/// <summary>
/// The profile-likelihood interval of one parameter: where the deviance minimised over all other free
/// parameters rises by 1 above its minimum (68.3 %). The root is found on z = √(ΔD), which is close to
/// linear in the parameter even for asymmetric likelihoods (small λ), starting from the Hesse error and
/// warm-starting each conditional fit from the previous one.
/// </summary>
internal static class ProfileLikelihood
{
    public sealed record Interval(double Lower, double Upper, bool LowerFound, bool UpperFound, int Fits);

    public static Interval Find(JointDeviance deviance, ParameterSpace space, double[] thetaHat, double minimum,
        int parameter, double hesseError, double lowerBound)
    {
        var free = Enumerable.Range(0, space.Count).Select(i => space.FreeIndex.Contains(i) && i != parameter).ToArray();
        var conditional = new ParameterSpace(space.Specs, free);
        int fits = 0;
        double center = thetaHat[parameter];
        double error = hesseError > 0 && double.IsFinite(hesseError) ? hesseError : Math.Max(Math.Abs(center) * 0.1, 1e-6);

        (double Value, bool Found) Side(int sign)
        {
            var warm = (double[])thetaHat.Clone();
            double Profile(double value)
            {
                var theta = (double[])warm.Clone();
                theta[parameter] = value;
                var objective = new InternalObjective(deviance, conditional, theta);
                var outcome = LevenbergMarquardt.Minimize(objective, conditional.ToInternal(theta), 1e-6);
                fits++;
                if (outcome.Converged) warm = outcome.Theta;
                return outcome.Deviance;
            }

            double z(double value) => Math.Sqrt(Math.Max(Profile(value) - minimum, 0));

            double x0 = center, z0 = 0;
            double x1 = center + sign * error;
            if (sign < 0 && x1 <= lowerBound) x1 = lowerBound + 0.5 * (center - lowerBound);
            double z1 = z(x1);
            for (int iteration = 0; iteration < 30; iteration++)
            {
                if (Math.Abs(z1 - 1) < 1e-3) return (x1, true);
                double next;
                if (z1 > 1e-9 && Math.Abs(z1 - z0) > 1e-12)
                    next = x1 + (1 - z1) * (x1 - x0) / (z1 - z0);         // secant on z(x)
                else
                    next = center + 2 * (x1 - center);                       // flat: widen
                if (sign < 0 && next <= lowerBound)
                {
                    next = lowerBound + 0.5 * (x1 - lowerBound);
                    if (x1 - lowerBound < 1e-9 * Math.Max(Math.Abs(center), 1e-12)) return (lowerBound, false);
                }
                x0 = x1; z0 = z1;
                x1 = next;
                z1 = z(x1);
            }
            return (x1, false);
        }

        var (upper, upperFound) = Side(+1);
        var (lower, lowerFound) = Side(-1);
        return new Interval(lower, upper, lowerFound, upperFound, fits);
    }
}
