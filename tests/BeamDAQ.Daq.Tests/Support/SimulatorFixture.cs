using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.Digitizers.Timing;

namespace BeamDAQ.Daq.Tests.Support;

/// <summary>A simulated HS4 on a virtual clock, configured and ready to acquire; the factory of simulator tests.</summary>
internal sealed class SimulatorFixture : IDisposable
{
    public SimulatorFixture(SimulatorSettings? settings = null, DigitizerSettings? digitizer = null, Random? random = null)
    {
        Settings = settings ?? new SimulatorSettings();
        Clock = new VirtualClock();
        Provider = new SimulatedHs4Provider(Settings, Clock, random: random);
        Digitizer = Provider.TryOpenSimulated(null) ?? throw new InvalidOperationException("the simulated HS4 did not open");
        Applied = Digitizer.Configure(digitizer ?? SmallRecord());
        Block = new AcquiredBlock(Applied);
    }

    public static DigitizerSettings SmallRecord(int length = 64, double range = 0.8, int bits = 12, double rate = 50e6, double pre = 0.25) =>
        new(bits, rate, length, pre, [new ChannelSettings(1, true, range)]);

    public SimulatorSettings Settings { get; }
    public VirtualClock Clock { get; }
    public SimulatedHs4Provider Provider { get; }
    public SimulatedHs4 Digitizer { get; private set; }
    public AppliedSettings Applied { get; }
    public AcquiredBlock Block { get; }

    /// <summary>Arm → wait → read once; returns the wait outcome (the block holds the event when DataReady).</summary>
    public WaitOutcome Acquire(TimeSpan? watchdog = null)
    {
        Digitizer.Arm();
        var outcome = Digitizer.WaitForData(watchdog ?? TimeSpan.FromSeconds(2), CancellationToken.None);
        if (outcome == WaitOutcome.DataReady) Digitizer.Read(Block);
        return outcome;
    }

    public SimulatedBunch AcquireEvent()
    {
        var outcome = Acquire();
        if (outcome != WaitOutcome.DataReady) throw new InvalidOperationException($"expected an event, got {outcome}");
        return Digitizer.LastEvent!;
    }

    public void Reopen()
    {
        Digitizer.Dispose();
        Digitizer = Provider.TryOpenSimulated(null) ?? throw new InvalidOperationException("the simulated HS4 did not reopen");
        Digitizer.Configure(Applied.ToRequest());
    }

    public void Dispose() => Digitizer.Dispose();
}

internal static class AppliedSettingsExtensions
{
    public static DigitizerSettings ToRequest(this AppliedSettings a) =>
        new(a.ResolutionBits, a.SampleRateHz, a.RecordLength, a.PreSampleRatio,
            a.Channels.Select(c => new ChannelSettings(c.Id, c.Enabled, c.RangeVolts, c.Coupling)).ToArray(),
            a.TriggerInput, a.TriggerEdge, a.TriggerTimeout, a.TriggerHoldOff);
}
