using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Hs4;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.Digitizers.Simulation.Faults;
using BeamDAQ.Daq.Digitizers.Timing;
using BeamDAQ.Daq.Tests.Support;

namespace BeamDAQ.Daq.Tests.Digitizers;

/// <summary>
/// The <see cref="IDigitizer"/> contract the acquisition loop relies on, run against every implementation:
/// the simulator and the HS4 driver over the recording libtiepie fake.
/// </summary>
public abstract class DigitizerContractTests
{
    protected static readonly DigitizerSettings Request = new(12, 50e6, 256, 0.25,
        [new ChannelSettings(1, true, 0.5), new ChannelSettings(2, false, 8)]);

    /// <summary>An opened digitizer; when <paramref name="removeAtFirstTrigger"/>, it drops off the bus instead of delivering its first block.</summary>
    protected abstract IDigitizer Open(bool removeAtFirstTrigger = false);

    [Fact]
    public void WhenConfiguredThenTheAppliedSettingsSnapTheRangeAndKeepTheRequestedShape()
    {
        using var digitizer = Open();
        var applied = digitizer.Configure(Request);

        Assert.Equal(12, applied.ResolutionBits);
        Assert.Equal(256, applied.RecordLength);
        Assert.Equal(0.25, applied.PreSampleRatio, 9);
        Assert.Equal(0.8, applied.Channels.Single(c => c.Enabled).RangeVolts);
        Assert.Equal(2 * 0.8 / 4096, applied.Channels.Single(c => c.Enabled).VoltsPerCode, 15);
        Assert.Equal("EXT1", applied.TriggerInput);
        Assert.Null(applied.TriggerTimeout);
        Assert.Equal(digitizer.Identity, applied.Device);
    }

    [Fact]
    public void WhenArmedThenABlockOfTheAppliedLengthIsReadAndTheNextArmGivesTheNextBlock()
    {
        using var digitizer = Open();
        var applied = digitizer.Configure(Request);
        var block = new AcquiredBlock(applied);
        for (int i = 0; i < 3; i++)
        {
            digitizer.Arm();
            Assert.Equal(WaitOutcome.DataReady, digitizer.WaitForData(TimeSpan.FromSeconds(5), CancellationToken.None));
            digitizer.Read(block);
            Assert.Equal(256, block.SampleCount);
            Assert.Equal(64, block.ValidPreSamples);
        }
        digitizer.Disarm();
    }

    [Fact]
    public void WhenTheSettingsBreakTheLimitsThenConfigureThrowsBeforeTouchingTheDevice()
    {
        using var digitizer = Open();
        var e = Assert.Throws<DigitizerSettingsException>(() => digitizer.Configure(Request with { RecordLength = 200_000 }));
        Assert.Equal("record_length", e.Key);
        Assert.Throws<InvalidOperationException>(digitizer.Arm);
    }

    [Fact]
    public void WhenTheDeviceLeavesTheBusThenWaitSaysSoAndEveryFurtherUseThrowsGone()
    {
        using var digitizer = Open(removeAtFirstTrigger: true);
        var applied = digitizer.Configure(Request);
        digitizer.Arm();
        Assert.Equal(WaitOutcome.DeviceRemoved, digitizer.WaitForData(TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.Throws<DigitizerGoneException>(() => digitizer.Read(new AcquiredBlock(applied)));
        Assert.Throws<DigitizerGoneException>(digitizer.Arm);
        Assert.Throws<DigitizerGoneException>(() => digitizer.Configure(Request));
        digitizer.Disarm();
    }
}

public sealed class SimulatedHs4ContractTests : DigitizerContractTests
{
    protected override IDigitizer Open(bool removeAtFirstTrigger = false)
    {
        var settings = new SimulatorSettings { Faults = removeAtFirstTrigger ? FaultPlan.Parse("remove@1:1s") : FaultPlan.None };
        return new SimulatedHs4Provider(settings, new VirtualClock()).TryOpen(null)!;
    }
}

public sealed class Hs4DriverContractTests : DigitizerContractTests
{
    protected override IDigitizer Open(bool removeAtFirstTrigger = false)
    {
        var lib = new RecordingLibTiePie();
        if (removeAtFirstTrigger)
        {
            lib.Device.DataReadyAfterPolls = int.MaxValue;
            lib.Device.OnPoll = _ => lib.Device.Removed = true;
        }
        return new Hs4Provider(lib, new VirtualClock()).TryOpen(null)!;
    }
}
