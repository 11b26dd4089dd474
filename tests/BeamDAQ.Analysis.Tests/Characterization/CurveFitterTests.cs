using BeamDAQ.Analysis.Characterization;

namespace BeamDAQ.Analysis.Tests.Characterization;

public class CurveFitterTests
{
    private static readonly double[] Powers = Enumerable.Range(0, 12).Select(i => 0.6 + 0.2 * i).ToArray();   // 0.6 .. 2.8

    private static List<CurvePoint> Exact(CurveModel model, double a, double second, double error) =>
        Powers.Select(x => new CurvePoint(x, model.Evaluate(x, a, second), error)).ToList();

    [Theory]
    [InlineData(CurveModel.Linear, 2.5, -0.7)]
    [InlineData(CurveModel.ThresholdLinear, 0.30, 1.3)]
    [InlineData(CurveModel.ThresholdQuadratic, 1.7, 1.45)]
    public void WhenDataLieOnTheCurveThenTheFitRecoversItsParametersWithZeroChiSquare(CurveModel model, double a, double second)
    {
        var fit = CurveFitter.Fit(model, Exact(model, a, second, 0.05));
        Assert.True(fit.IsValid, fit.Problem);
        Assert.Equal(a, fit.Values[0], 6);
        Assert.Equal(second, fit.Values[1], 6);
        Assert.Equal(0, fit.ChiSquare, 8);
        Assert.Equal(10, fit.DegreesOfFreedom);
        Assert.All(fit.Errors, e => Assert.True(e > 0 && double.IsFinite(e)));
    }

    [Fact]
    public void WhenTheLineIsFittedThenErrorsAreTheTextbookWeightedLeastSquaresOnes()
    {
        // Three points at x = −1, 0, 1 with σ = 1: var(b) = 1/3, var(a) = 1/2, no correlation.
        var fit = CurveFitter.Fit(CurveModel.Linear, [new(-1, 1, 1), new(0, 2, 1), new(1, 3, 1)]);
        Assert.Equal(1, fit.Values[0], 12);
        Assert.Equal(2, fit.Values[1], 12);
        Assert.Equal(Math.Sqrt(0.5), fit.Errors[0], 12);
        Assert.Equal(Math.Sqrt(1.0 / 3), fit.Errors[1], 12);
        Assert.Equal(0, fit.Covariance[0, 1], 12);
    }

    [Theory]
    [InlineData(CurveModel.Linear, 2.5, -0.7)]
    [InlineData(CurveModel.ThresholdLinear, 0.30, 1.3)]
    [InlineData(CurveModel.ThresholdQuadratic, 1.7, 1.45)]
    public void WhenToyDataScatterByTheirErrorsThenPullsAreStandardNormalAndChiSquarePerNdfIsOne(CurveModel model, double a, double second)
    {
        const int toys = 400;
        const double error = 0.04;
        var random = new Random(17 + (int)model);
        var pulls = new List<double>[] { [], [] };
        double chiPerNdf = 0;
        for (int t = 0; t < toys; t++)
        {
            var points = Powers.Select(x => new CurvePoint(x, model.Evaluate(x, a, second) + error * WelchPsdTests.Gaussian(random), error)).ToList();
            var fit = CurveFitter.Fit(model, points);
            Assert.True(fit.IsValid, fit.Problem);
            pulls[0].Add((fit.Values[0] - a) / fit.Errors[0]);
            pulls[1].Add((fit.Values[1] - second) / fit.Errors[1]);
            chiPerNdf += fit.ChiSquarePerDegreeOfFreedom / toys;
        }
        foreach (var p in pulls)
        {
            double mean = p.Average();
            double width = Math.Sqrt(p.Sum(x => (x - mean) * (x - mean)) / (p.Count - 1));
            Assert.InRange(mean, -0.2, 0.2);        // 4σ of the mean of 400 unit pulls
            Assert.InRange(width, 0.85, 1.15);
        }
        Assert.InRange(chiPerNdf, 0.9, 1.1);
    }

    [Fact]
    public void WhenAPointHasNoUncertaintyThenTheFitNamesItInsteadOfThrowing()
    {
        var fit = CurveFitter.Fit(CurveModel.ThresholdLinear, [new(1, 0, 0.1), new(2, 1, 0, "run 42"), new(3, 2, 0.1)]);
        Assert.False(fit.IsValid);
        Assert.Contains("run 42", fit.Problem);
        Assert.Contains("uncertainty 0", fit.Problem);
    }

    [Fact]
    public void WhenTheThresholdLiesFarBelowTheDataThenTheFitSaysItIsUnconstrained()
    {
        var points = Enumerable.Range(1, 10).Select(x => new CurvePoint(x, 0.5 * (x + 100), 0.1)).ToList();
        var fit = CurveFitter.Fit(CurveModel.ThresholdLinear, points);
        Assert.False(fit.IsValid);
        Assert.Contains("do not constrain", fit.Problem);
    }

    [Fact]
    public void WhenAllPointsShareOneXThenNoCurveIsFitted()
    {
        var fit = CurveFitter.Fit(CurveModel.Linear, [new(2, 1, 0.1), new(2, 1.2, 0.1)]);
        Assert.False(fit.IsValid);
        Assert.Contains("distinct x", fit.Problem);
    }

    [Theory]
    [InlineData("linear", CurveModel.Linear)]
    [InlineData("threshold-linear", CurveModel.ThresholdLinear)]
    [InlineData("Threshold-Quadratic", CurveModel.ThresholdQuadratic)]
    public void WhenAModelIsNamedOnTheCommandLineThenItParses(string text, CurveModel expected)
    {
        Assert.True(CurveModels.TryParse(text, out var model));
        Assert.Equal(expected, model);
        Assert.False(CurveModels.TryParse("cubic", out _));
    }
}
