using System.Numerics;
using BeamDAQ.Analysis.Spectrum;

namespace BeamDAQ.Analysis.Tests.Spectrum;

public class RealFftTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(512)]
    public void WhenTransformedForwardThenTheResultEqualsTheDefiningSum(int n)
    {
        var random = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var fft = new RealFft(n);
        var spectrum = new Complex[fft.SpectrumLength];
        fft.Forward(x, spectrum);

        for (int k = 0; k <= n / 2; k++)
        {
            Complex sum = 0;
            for (int j = 0; j < n; j++) sum += x[j] * Complex.Exp(new Complex(0, -2 * Math.PI * j * k / n));
            Assert.True((sum - spectrum[k]).Magnitude < 1e-10, $"k={k}: {sum} vs {spectrum[k]}");
        }
    }

    [Fact]
    public void WhenTransformedForwardAndBackThenTheInputReturnsTimesN()
    {
        const int n = 4096;
        var random = new Random(7);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var fft = new RealFft(n);
        var spectrum = new Complex[fft.SpectrumLength];
        var back = new double[n];
        fft.Forward(x, spectrum);
        fft.Inverse(spectrum, back);
        for (int j = 0; j < n; j++) Assert.Equal(x[j], back[j] / n, 12);
    }

    [Fact]
    public void WhenTheLengthIsNotAPowerOfTwoThenItIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RealFft(100));
    }
}
