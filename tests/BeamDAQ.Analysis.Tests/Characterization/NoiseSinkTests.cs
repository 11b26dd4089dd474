using BeamDAQ.Analysis.Characterization;
using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Tests.Support;

namespace BeamDAQ.Analysis.Tests.Characterization;

public class NoiseSinkTests
{
    private const double Lsb = 1e-4;

    [Fact]
    public void WhenPreTriggerNoiseIsGaussianThenRmsIsItsSigmaAndThePulseDoesNotCount()
    {
        var random = new Random(4);
        var sink = new NoiseSink(NoiseRegion.PreTrigger, segmentLength: 128);
        var whole = new NoiseSink(NoiseRegion.WholeRecord, segmentLength: 128);
        var features = new EventFeatures();
        for (int e = 0; e < 300; e++)
        {
            // Each event's pedestal sits somewhere else: that wander must not count as noise.
            var codes = Waveforms.Noisy(random, 2000, mean: 50 * Math.Sin(e), sigma: 8, pulseAt: 500, pulse: 2000);
            var daqEvent = Waveforms.Event(500, 1e7, default, (ulong)e + 1, Waveforms.Channel(3, codes, lsb: Lsb));
            sink.OnEvent(daqEvent, features);
            whole.OnEvent(daqEvent, features);
        }
        var noise = Assert.Single(sink.Results());
        Assert.Equal(3, noise.ChannelId);
        Assert.Equal(300, noise.Events);
        Assert.Equal(300 * 500, noise.Samples);
        // Rounding to codes adds 1/12 code² to the variance.
        double sigma = Math.Sqrt(64 + 1.0 / 12) * Lsb;
        Assert.Equal(sigma, noise.Rms, 0.01 * sigma);
        Assert.Equal(sigma * sigma, noise.MeanPower, 0.01 * sigma * sigma);
        Assert.InRange(noise.MeanPowerError, 0.001 * sigma * sigma, 0.01 * sigma * sigma);
        Assert.Equal(50 / Math.Sqrt(2) * Lsb, noise.PedestalSpread, 0.1 * 50 / Math.Sqrt(2) * Lsb);
        Assert.NotNull(noise.Spectrum);
        Assert.Equal(sigma * sigma / 5e6, noise.Spectrum!.MeanDensity(0.5e6, 4.5e6), 0.03 * sigma * sigma / 5e6);

        var withPulse = Assert.Single(whole.Results());
        Assert.True(withPulse.Rms > 3 * noise.Rms, "the whole record holds the pulse");
    }

    [Fact]
    public void WhenSinksAreMergedThenTheResultEqualsOneSinkFedEverything()
    {
        var random = new Random(8);
        var all = new NoiseSink();
        var a = new NoiseSink();
        var b = new NoiseSink();
        var features = new EventFeatures();
        for (int e = 0; e < 20; e++)
        {
            var daqEvent = Waveforms.Event(300, 1e7, default, (ulong)e + 1, Waveforms.Channel(1, Waveforms.Noisy(random, 400, 0, 5)));
            all.OnEvent(daqEvent, features);
            (e % 3 == 0 ? a : b).OnEvent(daqEvent, features);
        }
        a.Merge(b);
        var expected = Assert.Single(all.Results());
        var merged = Assert.Single(a.Results());
        Assert.Equal(expected.Events, merged.Events);
        Assert.Equal(expected.Rms, merged.Rms, 1e-15);
        Assert.Equal(expected.MeanPower, merged.MeanPower, 1e-18);
        Assert.Equal(expected.Spectrum!.Segments, merged.Spectrum!.Segments);
    }
}
