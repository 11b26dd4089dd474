using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Hs4;

namespace BeamDAQ.Daq.Tests.Digitizers;

public sealed class Hs4LimitsTests
{
    private static DigitizerSettings Valid => new(12, 50e6, 1000, 0.2, [new ChannelSettings(1, true, 0.8)]);

    [Theory]
    [InlineData(0.1, 0.2)]
    [InlineData(0.2, 0.2)]
    [InlineData(0.21, 0.4)]
    [InlineData(0.5, 0.8)]
    [InlineData(1.0, 2)]
    [InlineData(7.9, 8)]
    [InlineData(41, 80)]
    [InlineData(80, 80)]
    public void WhenARangeIsRequestedThenItSnapsUpToTheNextHs4Range(double requested, double applied) =>
        Assert.Equal(applied, Hs4Limits.SnapRangeVolts(requested));

    [Fact]
    public void WhenARangeAbove80VIsRequestedThereIsNoRange() => Assert.Null(Hs4Limits.SnapRangeVolts(100));

    [Theory]
    [InlineData(12, 50e6)]
    [InlineData(14, 3.125e6)]
    [InlineData(16, 195312.5)]
    public void TheMaximumSampleRatesAreTheManualsTable(int bits, double max) => Assert.Equal(max, Hs4Limits.MaxSampleRateHz(bits));

    [Fact]
    public void TheMemoryIs128KSamplesPerChannel() => Assert.Equal(131072, Hs4Limits.MemorySamplesPerChannel);

    [Fact]
    public void WhenSettingsAreWithinTheLimitsThereAreNoViolations() => Assert.Empty(Hs4Limits.Check(Valid));

    public static TheoryData<DigitizerSettings, string, string> Violations => new()
    {
        { Valid with { ResolutionBits = 10 }, "resolution_bits", "12, 14 or 16 bit" },
        { Valid with { ResolutionBits = 14, SampleRateHz = 50e6 }, "sample_rate_hz", "at most 3.125 MSa/s at 14 bit" },
        { Valid with { ResolutionBits = 16, SampleRateHz = 200e3 }, "sample_rate_hz", "at most 195.313 kSa/s at 16 bit" },
        { Valid with { SampleRateHz = 60e6 }, "sample_rate_hz", "at most 50 MSa/s at 12 bit" },
        { Valid with { SampleRateHz = 0 }, "sample_rate_hz", "> 0" },
        { Valid with { RecordLength = 200_000 }, "record_length", "1 to 131072 samples" },
        { Valid with { RecordLength = 0 }, "record_length", "128 kSamples" },
        { Valid with { PreSampleRatio = -0.1 }, "pre_sample_ratio", "0 to 1" },
        { Valid with { PreSampleRatio = 1.5 }, "pre_sample_ratio", "0–100 %" },
        { Valid with { Channels = [new ChannelSettings(1, true, 100)] }, "channels[0].range_v", "±0.2, 0.4, 0.8, 2, 4, 8, 20, 40 or 80 V" },
        { Valid with { Channels = [new ChannelSettings(5, true, 0.8)] }, "channels[0].id", "1 to 4" },
        { Valid with { Channels = [new ChannelSettings(1, true, 0.8), new ChannelSettings(1, true, 2)] }, "channels[1].id", "once" },
        { Valid with { Channels = [new ChannelSettings(1, false, 0.8)] }, "channels", "at least one enabled channel" },
        { Valid with { TriggerInput = "CH1" }, "trigger.input", "EXT1" },
        { Valid with { TriggerTimeout = TimeSpan.Zero }, "trigger.timeout_s", "null for infinite" },
        { Valid with { TriggerHoldOff = TimeSpan.FromSeconds(1) }, "trigger.holdoff_s", "1048576 samples (1 MSamples)" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void WhenASettingIsOutsideTheLimitsThenTheViolationNamesTheKeyAndQuotesTheLimit(DigitizerSettings settings, string key, string limit)
    {
        var violation = Assert.Single(Hs4Limits.Check(settings));
        Assert.Equal(key, violation.Key);
        Assert.Contains(limit, violation.Allowed);
        var e = violation.ToException();
        Assert.Contains(key, e.Message);
        Assert.Contains(limit, e.Message);
    }

    [Fact]
    public void WhenARequestedRateIsNotADividerOfTheClockThenTheNearestAvailableRateIsApplied()
    {
        Assert.Equal(50e6 / 3, Hs4Limits.AppliedSampleRateHz(16e6, 12));
        Assert.Equal(195312.5, Hs4Limits.AppliedSampleRateHz(195e3, 16));
        Assert.Equal(3.125e6, Hs4Limits.AppliedSampleRateHz(3.125e6, 14));
    }
}
