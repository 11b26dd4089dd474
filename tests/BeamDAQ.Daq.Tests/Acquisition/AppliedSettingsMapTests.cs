using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Digitizers;

namespace BeamDAQ.Daq.Tests.Acquisition;

/// <summary>The check a reconnected digitizer must pass: every applied value equal to the run's.</summary>
public sealed class AppliedSettingsMapTests
{
    private static readonly AppliedSettings Run = new(new DigitizerIdentity("HS4", "27710", "libtiepie-hw 1.0"), 12, 50e6, 2500, 0.2,
        [new AppliedChannel(1, true, 0.8, Coupling.DC, 0.8 / 2048, 0), new AppliedChannel(2, false, 0.8, Coupling.DC, 0.8 / 2048, 0)],
        "EXT1", TriggerEdge.Rising, null, TimeSpan.Zero);

    [Fact]
    public void WhenTheDeviceTookTheSameSettingsThenThereIsNoDifference()
    {
        var same = Run with { Channels = Run.Channels.Select(c => c with { }).ToArray() }; // equal values, other objects
        Assert.Empty(AppliedSettingsMap.Differences(Run, same));
    }

    [Fact]
    public void WhenValuesDifferThenEachIsNamedWithBeforeAndAfter()
    {
        var other = Run with
        {
            SampleRateHz = 25e6,
            Channels = [Run.Channels[0] with { Coupling = Coupling.AC }, Run.Channels[1]],
            TriggerEdge = TriggerEdge.Falling,
        };
        var differences = AppliedSettingsMap.Differences(Run, other);
        Assert.Equal(["sample_rate_hz: 50000000 → 25000000", "channels[0].coupling: dc → ac", "trigger.edge: rising → falling"], differences);
    }

    [Fact]
    public void WhenAChannelIsMissingThenTheCountDifferenceIsNamed()
    {
        var other = Run with { Channels = [Run.Channels[0]] };
        Assert.Equal(["channels: 2 entries → 1"], AppliedSettingsMap.Differences(Run, other));
    }

    [Fact]
    public void WhenMappedThenTheRecordHoldsTheCalibrationOfEveryChannel()
    {
        var map = AppliedSettingsMap.ToMap(Run);
        var channel = (IReadOnlyDictionary<string, object?>)((IList<object?>)map["channels"]!)[0]!;
        Assert.Equal(0.8 / 2048, channel["lsb_v"]);
        Assert.Equal("27710", ((IReadOnlyDictionary<string, object?>)map["device"]!)["serial"]);
        Assert.Null(((IReadOnlyDictionary<string, object?>)map["trigger"]!)["timeout_s"]);
    }
}
