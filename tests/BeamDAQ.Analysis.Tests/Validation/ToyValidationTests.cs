using BeamDAQ.Analysis.Validation;

namespace BeamDAQ.Analysis.Tests.Validation;

/// <summary>
/// The reduced validation of the test suite: three points (free response at low λ, calibration-fixed at high
/// λ), 60 toys each. Bounds are the targets of docs/validation.md widened to what 60 toys can resolve
/// (about 3.5 statistical σ); the full validation is <c>beamdaq-analysis validate</c>.
/// </summary>
public class ToyValidationTests
{
    [Fact]
    public void WhenToysAreFittedThenConvergencePullsAndCoverageAreWithinStatisticalBounds()
    {
        var settings = new ValidationSettings
        {
            Lambdas = [0.3, 2.2, 8.7],
            Bunches = [1000],
            Toys = 60,
            Seed = 7,
        };
        var points = ToyValidation.Run(settings);

        Assert.Equal(3, points.Count);
        Assert.True(points[2].Calibrated);
        foreach (var p in points)
        {
            string where = $"λ = {p.Lambda}: converged {p.Converged}/{p.Toys}, pull {p.PullMean:F3} ± {p.PullWidth:F3}, coverage {p.Coverage:F3}";
            Assert.True(p.ConvergenceFraction >= 0.95, where);
            Assert.True(Math.Abs(p.PullMean) <= 0.45, where);
            Assert.InRange(p.PullWidth, 0.72, 1.3);
            Assert.InRange(p.Coverage, 0.5, 0.86);
        }
    }

    [Fact]
    public async Task WhenAToyIsRepeatedThenItGivesTheSameFitWhateverTheThread()
    {
        var settings = new ValidationSettings { Seed = 3 };
        var a = ToyValidation.RunToy(settings, 1.6, 1000, 4, 17);
        var b = await Task.Run(() => ToyValidation.RunToy(settings, 1.6, 1000, 4, 17));
        Assert.Equal(a.Lambda, b.Lambda);
    }
}
