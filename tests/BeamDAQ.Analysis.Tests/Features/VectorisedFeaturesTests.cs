using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Tests.Support;

namespace BeamDAQ.Analysis.Tests.Features;

/// <summary>The vectorised kernels and extractor against plain loops, on random data of every awkward length.</summary>
public class VectorisedFeaturesTests
{
    public static IEnumerable<object[]> Lengths() =>
        new[] { 1, 2, 15, 16, 17, 31, 32, 33, 47, 100, 255, 2500, 2517, 10_001 }.Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Lengths))]
    public void WhenCodesAreRandomThenKernelsEqualPlainLoops(int length)
    {
        var random = new Random(length);
        var codes = Waveforms.Uniform(random, length);
        long sum = 0;
        ulong sumSq = 0;
        short min = short.MaxValue, max = short.MinValue;
        foreach (short c in codes)
        {
            sum += c;
            sumSq += (ulong)((long)c * c);
            min = Math.Min(min, c);
            max = Math.Max(max, c);
        }

        WaveformKernels.SumSquaresMinMax(codes, out long s1, out ulong q1, out short lo1, out short hi1);
        WaveformKernels.SumMinMax(codes, out long s2, out short lo2, out short hi2);
        Assert.Equal((sum, sumSq, min, max), (s1, q1, lo1, hi1));
        Assert.Equal((sum, min, max), (s2, lo2, hi2));
        Assert.Equal(sum, WaveformKernels.Sum(codes));
    }

    [Fact]
    public void WhenEveryCodeIsAtTheNegativeExtremeThenSumsDoNotOverflow()
    {
        // −32768² + −32768² = 2^31 is the one pair sum that does not fit a signed 32-bit lane.
        var codes = Enumerable.Repeat(short.MinValue, 40_000).ToArray();
        WaveformKernels.SumSquaresMinMax(codes, out long sum, out ulong sumSq, out _, out _);
        Assert.Equal(40_000L * short.MinValue, sum);
        Assert.Equal(40_000UL * 32768 * 32768, sumSq);
        Assert.Equal(40_000L * short.MinValue, WaveformKernels.Sum(codes));
    }

    [Fact]
    public void WhenALongRecordIsAtThePositiveExtremeThenPairSumAccumulatorsAreFlushedInTime()
    {
        var codes = Enumerable.Repeat(short.MaxValue, 16 * 40_000 + 5).ToArray();
        WaveformKernels.SumMinMax(codes, out long sum, out _, out _);
        Assert.Equal((long)codes.Length * short.MaxValue, sum);
    }

    [Theory]
    [InlineData(Polarity.Positive)]
    [InlineData(Polarity.Negative)]
    public void WhenWaveformsAreRandomThenTheExtractorEqualsTheScalarReference(Polarity polarity)
    {
        var random = new Random(polarity == Polarity.Positive ? 11 : 12);
        var extractor = new FeatureExtractor(FeatureSettings.Default with { Polarity = polarity });
        for (int trial = 0; trial < 400; trial++)
        {
            int length = random.Next(1, 700);
            int pre = random.Next(0, length + 3);
            var settings = RandomSettings(random, polarity);
            var codes = trial % 3 == 0 ? Waveforms.Uniform(random, length) : Waveforms.Noisy(random, length, random.Next(-2000, 2000), 30, pre, 3000);
            var cal = new ChannelCalibration(2, 0.8, 14, 2 * 0.8 / 16384 * (trial % 2 == 0 ? 1 : 4), -0.01 * trial);
            bool flagged = trial % 17 == 0;
            var ext = settings is null ? extractor : new FeatureExtractor(settings);
            var expected = ScalarFeatureReference.Compute(codes, cal, pre, 5e7, ext.Settings, flagged);
            var actual = new ChannelFeatures();
            ext.ExtractChannel(codes, cal, (uint)pre, 5e7, flagged, ref actual);

            string where = $"trial {trial}: length {length}, pre {pre}, settings {ext.Settings}";
            Assert.True(expected.Quality == actual.Quality, $"{where}: quality {actual.Quality}, expected {expected.Quality}");
            Assert.True(expected.PeakIndex == actual.PeakIndex, $"{where}: peak index {actual.PeakIndex}, expected {expected.PeakIndex}");
            Assert.Equal(expected.BaselineSamples, actual.BaselineSamples);
            AssertClose(expected.Baseline, actual.Baseline, where + " baseline");
            AssertClose(expected.BaselineRms, actual.BaselineRms, where + " rms");
            AssertClose(expected.Amplitude, actual.Amplitude, where + " amplitude");
            AssertClose(expected.PeakTime, actual.PeakTime, where + " peak time");
            AssertClose(expected.Integral, actual.Integral, where + " integral");
        }
    }

    private static FeatureSettings? RandomSettings(Random random, Polarity polarity)
    {
        if (random.Next(3) == 0) return null;
        SampleWindow? Window() => random.Next(3) switch
        {
            0 => null,
            1 => SampleWindow.InSamples(random.Next(-50, 300), random.Next(1, 400)),
            _ => SampleWindow.InNanoseconds(random.Next(-1000, 4000), random.Next(20, 8000)),
        };
        return new FeatureSettings { Polarity = polarity, BaselineWindow = Window(), SignalWindow = Window(), IntegralWindow = Window() };
    }

    private static void AssertClose(double expected, double actual, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: {actual}, expected NaN");
            return;
        }
        double tolerance = 1e-9 * Math.Max(1e-12, Math.Abs(expected)) + 1e-15;
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: {actual:R}, expected {expected:R}");
    }
}
