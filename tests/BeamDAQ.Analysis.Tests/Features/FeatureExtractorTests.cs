using BeamDAQ.Analysis.Features;
using BeamDAQ.Analysis.Tests.Support;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Analysis.Tests.Features;

public class FeatureExtractorTests
{
    private const double Lsb = 0.5e-3;   // volts per code: exact in binary, so hand results are exact
    private const double Offset = 0.1;
    private const double Fs = 1e8;       // 10 ns per sample

    private static ChannelFeatures One(short[] codes, uint pre, FeatureSettings? settings = null, EventFlags flags = EventFlags.None,
        double range = 1.0, int bits = 16)
    {
        var e = Waveforms.Event(pre, Fs, flags, 1, Waveforms.Channel(1, codes, range, bits, Lsb, Offset));
        var features = new EventFeatures();
        new FeatureExtractor(settings ?? FeatureSettings.Default).Extract(e, features);
        Assert.Equal(1, features.Count);
        return features[0];
    }

    [Fact]
    public void WhenPreTriggerSamplesAlternateThenBaselineIsTheirMeanAndRmsTheirStandardDeviation()
    {
        var f = One([1, 3, 1, 3, /* trigger */ 2, 2], pre: 4);
        Assert.Equal(Offset + 2 * Lsb, f.Baseline);
        Assert.Equal(1 * Lsb, f.BaselineRms);
        Assert.Equal(4, f.BaselineSamples);
        Assert.Equal(FeatureQuality.Good, f.Quality);
    }

    [Fact]
    public void WhenBaselineIsConstantThenRmsIsExactlyZero()
    {
        var f = One([-7, -7, -7, -7, -7, -7, -7, 5], pre: 7);
        Assert.Equal(Offset - 7 * Lsb, f.Baseline);
        Assert.Equal(0.0, f.BaselineRms);
    }

    [Fact]
    public void WhenPulseIsPositiveThenAmplitudeIsPeakMinusBaselineAtThePeakSample()
    {
        var f = One([10, 10, 10, 10, /* trigger */ 10, 50, 30, 10], pre: 4);
        Assert.Equal(40 * Lsb, f.Amplitude, 15);
        Assert.Equal(5, f.PeakIndex);
        Assert.Equal(1 / Fs, f.PeakTime);
    }

    [Fact]
    public void WhenPolarityIsNegativeThenAmplitudeIsBaselineMinusMinimumAndPositive()
    {
        var settings = FeatureSettings.Default with { Polarity = Polarity.Negative };
        var f = One([10, 10, 10, 10, /* trigger */ 10, -30, 0, 60], pre: 4, settings);
        Assert.Equal(40 * Lsb, f.Amplitude, 15);
        Assert.Equal(5, f.PeakIndex);
    }

    [Fact]
    public void WhenPeakValueRepeatsThenPeakTimeIsTheFirstOccurrence()
    {
        var f = One([0, 0, /* trigger */ 0, 9, 4, 9, 9], pre: 2);
        Assert.Equal(3, f.PeakIndex);
        Assert.Equal(1 / Fs, f.PeakTime);
    }

    [Fact]
    public void WhenSignalWindowIsSetThenSamplesJustOutsideItAreIgnored()
    {
        //                     pre ................ trigger+0  +1   +2  +3  +4  +5
        short[] codes = [0, 0, 0, 0, /* trigger */ 0, 100, 7, 8, 9, 100];
        var window = FeatureSettings.Default with { SignalWindow = SampleWindow.InSamples(2, 3) };   // trigger+2 .. trigger+4
        var f = One(codes, pre: 4, window);
        Assert.Equal(9 * Lsb, f.Amplitude, 15);
        Assert.Equal(8, f.PeakIndex);
        Assert.Equal((7 + 8 + 9) * Lsb / Fs, f.Integral, 1e-20);
    }

    [Fact]
    public void WhenWindowIsInNanosecondsThenItIsConvertedWithTheEventsSampleRate()
    {
        short[] codes = [0, 0, 0, 0, /* trigger */ 0, 100, 7, 8, 9, 100];
        var inSamples = One(codes, 4, FeatureSettings.Default with { SignalWindow = SampleWindow.InSamples(2, 3) });
        var inNs = One(codes, 4, FeatureSettings.Default with { SignalWindow = SampleWindow.InNanoseconds(20, 30) });
        Assert.Equal(inSamples.Amplitude, inNs.Amplitude);
        Assert.Equal(inSamples.PeakIndex, inNs.PeakIndex);
        Assert.Equal(inSamples.Integral, inNs.Integral);
    }

    [Fact]
    public void WhenBaselineWindowReachesPastTheTriggerThenOnlyValidPreTriggerSamplesAreUsed()
    {
        var settings = FeatureSettings.Default with { BaselineWindow = SampleWindow.InSamples(-2, 10) };
        var f = One([100, 100, 4, 6, /* trigger */ 500, 500], pre: 4, settings);
        Assert.Equal(2, f.BaselineSamples);
        Assert.Equal(Offset + 5 * Lsb, f.Baseline);
        Assert.Equal(1 * Lsb, f.BaselineRms);
    }

    [Fact]
    public void WhenIntegralWindowIsSeparateThenTheIntegralIsTheBaselineSubtractedSumTimesTheSamplingInterval()
    {
        var settings = FeatureSettings.Default with { IntegralWindow = SampleWindow.InSamples(-1, 4) };
        var f = One([1, 1, 1, 1, /* trigger */ 3, 5, 3, 1], pre: 4, settings);
        // Samples trigger−1 .. trigger+2: 1, 3, 5, 3 minus the baseline 1: 0 + 2 + 4 + 2 = 8 codes.
        Assert.Equal(8 * Lsb / Fs, f.Integral, 1e-20);
    }

    [Fact]
    public void WhenPolarityIsNegativeThenTheIntegralOfANegativePulseIsPositive()
    {
        var settings = FeatureSettings.Default with { Polarity = Polarity.Negative };
        var f = One([5, 5, /* trigger */ 3, 1, 3], pre: 2, settings);
        Assert.Equal(8 * Lsb / Fs, f.Integral, 1e-20);
    }

    [Fact]
    public void WhenASampleReachesTheRangeThenTheChannelIsOverRange()
    {
        // ±1 V at 8 bit: step 2/256 V; with lsb = one step the end codes are 127 (0.992 V) and −128 (−1 V).
        double step = 2.0 / 256;
        var e = Waveforms.Event(2, Fs, EventFlags.None, 1, Waveforms.Channel(1, [0, 0, 126, 127], 1.0, 8, step, 0));
        var features = new EventFeatures();
        new FeatureExtractor(FeatureSettings.Default).Extract(e, features);
        Assert.True(features[0].IsOverRange);

        var below = Waveforms.Event(2, Fs, EventFlags.None, 1, Waveforms.Channel(1, [0, 0, 125, 126], 1.0, 8, step, 0));
        new FeatureExtractor(FeatureSettings.Default).Extract(below, features);
        Assert.False(features[0].IsOverRange);

        var negative = Waveforms.Event(2, Fs, EventFlags.None, 1, Waveforms.Channel(1, [0, 0, -128, 0], 1.0, 8, step, 0));
        new FeatureExtractor(FeatureSettings.Default).Extract(negative, features);
        Assert.True(features[0].IsOverRange);

        var aboveBottom = Waveforms.Event(2, Fs, EventFlags.None, 1, Waveforms.Channel(1, [0, 0, -127, 0], 1.0, 8, step, 0));
        new FeatureExtractor(FeatureSettings.Default).Extract(aboveBottom, features);
        Assert.False(features[0].IsOverRange);
    }

    [Fact]
    public void WhenTheDigitizerFlagsTheChannelThenItIsOverRangeEvenBelowTheRail()
    {
        var f = One([0, 0, 1, 2], pre: 2, flags: EventFlags.OverRangeChannel1);
        Assert.True(f.IsOverRange);
        var other = One([0, 0, 1, 2], pre: 2, flags: EventFlags.OverRangeChannel2);
        Assert.False(other.IsOverRange);
    }

    [Fact]
    public void WhenThereIsNoValidPreTriggerSampleThenBaselineAndAmplitudeAreNaNAndFlagged()
    {
        var f = One([1, 2, 3], pre: 0);
        Assert.Equal(FeatureQuality.NoBaseline, f.Quality);
        Assert.True(double.IsNaN(f.Baseline));
        Assert.True(double.IsNaN(f.Amplitude));
        Assert.False(f.HasAmplitude);
        Assert.Equal(2, f.PeakIndex);
    }

    [Fact]
    public void WhenTheSignalWindowLiesBeyondTheRecordThenItIsEmptyAndFlagged()
    {
        var f = One([1, 1, 1, 1], pre: 2, FeatureSettings.Default with { SignalWindow = SampleWindow.InSamples(10, 5) });
        Assert.Equal(FeatureQuality.EmptySignalWindow, f.Quality);
        Assert.True(double.IsNaN(f.Amplitude));
        Assert.Equal(0.0, f.Integral);
    }

    [Fact]
    public void WhenPreSamplesExceedTheRecordThenTheWholeRecordIsBaselineAndTheSignalWindowIsEmpty()
    {
        var f = One([2, 4], pre: 10);
        Assert.Equal(2, f.BaselineSamples);
        Assert.Equal(Offset + 3 * Lsb, f.Baseline);
        Assert.True((f.Quality & FeatureQuality.EmptySignalWindow) != 0);
    }

    [Fact]
    public void WhenTheSampleRateIsUnusableThenWindowsInNanosecondsAreEmptyInsteadOfFailing()
    {
        var settings = FeatureSettings.Default with { SignalWindow = SampleWindow.InNanoseconds(0, 100) };
        foreach (double rate in new[] { double.NaN, 0.0, -1e8 })
        {
            var e = Waveforms.Event(2, rate, EventFlags.None, 1, Waveforms.Channel(1, [0, 0, 5, 9]));
            var features = new EventFeatures();
            new FeatureExtractor(settings).Extract(e, features);
            Assert.Equal(FeatureQuality.EmptySignalWindow, features[0].Quality);
        }
    }

    [Fact]
    public void WhenChannelsAreSelectedThenOnlyThoseAreAnalysedInEventOrder()
    {
        var e = Waveforms.Event(1,
            Waveforms.Channel(1, [0, 1]), Waveforms.Channel(3, [0, 3]), Waveforms.Channel(4, [0, 4]));
        var features = new EventFeatures();
        new FeatureExtractor(FeatureSettings.Default with { Channels = [4, 1] }).Extract(e, features);
        Assert.Equal(2, features.Count);
        Assert.Equal(1, features[0].ChannelId);
        Assert.Equal(4, features[1].ChannelId);
        Assert.False(features.TryGet(3, out _));
        Assert.True(features.TryGet(4, out var four));
        Assert.Equal(4 * 2.0 / 65536, four.Amplitude, 15);
    }

    [Fact]
    public void WhenAChannelOutsideOneToFourIsRequestedThenSettingsAreRejectedWithTheAllowedRange()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureExtractor(FeatureSettings.Default with { Channels = [5] }));
        Assert.Contains("allowed 1–4", e.Message);
    }

    [Fact]
    public void WhenExtractingRepeatedlyThenNothingIsAllocatedPerEvent()
    {
        var random = new Random(3);
        var e = Waveforms.Event(500, Waveforms.Channel(1, Waveforms.Noisy(random, 2500, 0, 20, 600, 800)),
            Waveforms.Channel(2, Waveforms.Noisy(random, 2500, 0, 20)));
        var extractor = new FeatureExtractor(FeatureSettings.Default with { IntegralWindow = SampleWindow.InNanoseconds(-100, 2000) });
        var features = new EventFeatures();
        extractor.Extract(e, features);   // warm up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) extractor.Extract(e, features);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
