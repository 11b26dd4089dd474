using BeamDAQ.Analysis.Characterization;
using BeamDAQ.Analysis.Tests.Support;

namespace BeamDAQ.Analysis.Tests.Characterization;

public class WelchPsdTests
{
    private const double Fs = 1e6;

    [Fact]
    public void WhenNoiseIsWhiteThenTheDensityIsFlatAtVarianceOverHalfTheSampleRate()
    {
        const double sigma = 0.01;
        var random = new Random(5);
        var psd = new WelchPsd(256, Fs);
        var record = new double[2048];
        for (int r = 0; r < 200; r++)
        {
            for (int i = 0; i < record.Length; i++) record[i] = 0.3 + sigma * Gaussian(random);
            psd.AddRecord(record);
        }
        var result = psd.Result();

        double expected = sigma * sigma / (Fs / 2);
        Assert.Equal(200 * 15, result.Segments);   // (2048 − 256) / 128 + 1 half-overlapping segments per record
        Assert.Equal(129, result.Density.Length);
        Assert.Equal(Fs / 256, result.Resolution);
        // Every bin but DC (removed with the segment mean) and the edges scatters by ~2 % around the level.
        for (int k = 2; k < result.Density.Length - 1; k++)
            Assert.InRange(result.Density[k] / expected, 0.9, 1.1);
        Assert.InRange(result.MeanDensity(10e3, 490e3) / expected, 0.98, 1.02);
        // The 0.3 V offset is removed with each segment's mean; what remains at DC is window leakage of the noise.
        Assert.True(result.Density[0] < expected, $"DC bin {result.Density[0]} should hold no offset");
    }

    [Theory]
    [InlineData(123_456.0)]
    [InlineData(31_250.0)]
    public void WhenTheSignalIsASineThenThePeakIsAtItsFrequencyAndHoldsItsPower(double frequency)
    {
        const double amplitude = 0.2;
        var psd = new WelchPsd(512, Fs);
        var record = new double[4096];
        for (int r = 0; r < 4; r++)
        {
            for (int i = 0; i < record.Length; i++) record[i] = amplitude * Math.Sin(2 * Math.PI * frequency * (i + 1000 * r) / Fs + 0.3);
            psd.AddRecord(record);
        }
        var result = psd.Result();
        Assert.InRange(result.PeakFrequency(), frequency - result.Resolution / 2, frequency + result.Resolution / 2);
        // The density integrates to the mean square: A²/2 for a sine, all within the Hann main lobe.
        double power = result.BandPower(frequency - 4 * result.Resolution, frequency + 4 * result.Resolution);
        Assert.Equal(amplitude * amplitude / 2, power, 0.02 * amplitude * amplitude / 2);
    }

    [Fact]
    public void WhenRecordsAreRawCodesThenTheDensityScalesWithTheLsbSquared()
    {
        var random = new Random(9);
        var volts = new WelchPsd(64, Fs);
        var codes = new WelchPsd(64, Fs);
        for (int r = 0; r < 20; r++)
        {
            var c = Waveforms.Noisy(random, 640, 100, 12);
            volts.AddRecord(c.Select(x => 0.5e-3 * x + 7).ToArray());
            codes.AddRecord(c, 0.5e-3);
        }
        var a = volts.Result().Density;
        var b = codes.Result().Density;
        for (int k = 0; k < a.Length; k++) Assert.Equal(a[k], b[k], 1e-12 * a.Max());
    }

    [Fact]
    public void WhenEstimatorsAreMergedThenTheResultEqualsOneEstimatorFedEverything()
    {
        var random = new Random(2);
        var records = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 300).Select(_ => Gaussian(random)).ToArray()).ToList();
        var whole = new WelchPsd(100, Fs);
        var first = new WelchPsd(100, Fs);
        var second = new WelchPsd(100, Fs);
        for (int i = 0; i < records.Count; i++)
        {
            whole.AddRecord(records[i]);
            (i < 2 ? first : second).AddRecord(records[i]);
        }
        first.Merge(second);
        Assert.Equal(whole.Result().Density, first.Result().Density, new ToleranceComparer(1e-12));
    }

    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed class ToleranceComparer(double relative) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= relative * Math.Max(Math.Abs(x), Math.Abs(y));
        public int GetHashCode(double obj) => 0;
    }
}
