using BeamDAQ.Daq.Acquisition;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Daq.Digitizers.Timing;

namespace BeamDAQ.Daq.Tests.Support;

/// <summary>
/// A digitizer that always has a block ready and reads nothing: the acquisition path with the device's own cost
/// taken out (for the allocation test of the record-and-publish path).
/// </summary>
internal sealed class StaticDigitizer : IDigitizer
{
    private AppliedSettings? _applied;

    public DigitizerIdentity Identity { get; } = new("static test digitizer", "STATIC1", "test");

    public AppliedSettings Configure(DigitizerSettings requested)
    {
        _applied = new AppliedSettings(Identity, requested.ResolutionBits, requested.SampleRateHz, requested.RecordLength, requested.PreSampleRatio,
            requested.Channels.Select(c => new AppliedChannel(c.Id, c.Enabled, c.RangeVolts, c.Coupling, new AdcScale(c.RangeVolts, requested.ResolutionBits).Lsb, 0)).ToArray(),
            requested.TriggerInput, requested.TriggerEdge, requested.TriggerTimeout, requested.TriggerHoldOff);
        return _applied;
    }

    public void Arm() { }

    public WaitOutcome WaitForData(TimeSpan watchdog, CancellationToken cancellation) =>
        cancellation.IsCancellationRequested ? WaitOutcome.Cancelled : WaitOutcome.DataReady;

    public void Read(AcquiredBlock block)
    {
        block.SampleCount = _applied!.RecordLength;
        block.ValidPreSamples = (int)(_applied.RecordLength * _applied.PreSampleRatio);
    }

    public void Disarm() { }

    public void Dispose() { }
}

internal sealed class StaticDigitizerProvider : IDigitizerProvider
{
    public IReadOnlyList<DigitizerIdentity> ListDevices() => [new StaticDigitizer().Identity];
    public IDigitizer? TryOpen(string? serialNumber) => new StaticDigitizer();
}

/// <summary>
/// The simulator's devices, except that every device opened after the first applies another range on channel 1 — a
/// reconnected instrument that did not take the run's settings.
/// </summary>
internal sealed class DriftingProvider(SimulatedHs4Provider inner) : IClockedDigitizerProvider
{
    public IDaqClock Clock => inner.Clock;

    private int _opens;

    public IReadOnlyList<DigitizerIdentity> ListDevices() => inner.ListDevices();

    public IDigitizer? TryOpen(string? serialNumber)
    {
        var device = inner.TryOpen(serialNumber);
        if (device is null) return null;
        return ++_opens == 1 ? device : new DriftingDigitizer(device);
    }

    private sealed class DriftingDigitizer(IDigitizer inner) : IDigitizer
    {
        public DigitizerIdentity Identity => inner.Identity;
        public AppliedSettings Configure(DigitizerSettings requested)
        {
            var applied = inner.Configure(requested);
            return applied with { Channels = applied.Channels.Select(c => c.Id == 1 ? c with { RangeVolts = 2 } : c).ToArray() };
        }
        public void Arm() => inner.Arm();
        public WaitOutcome WaitForData(TimeSpan watchdog, CancellationToken cancellation) => inner.WaitForData(watchdog, cancellation);
        public void Read(AcquiredBlock block) => inner.Read(block);
        public void Disarm() => inner.Disarm();
        public void Dispose() => inner.Dispose();
    }
}

/// <summary>The simulator's device opens once; after it is lost it is never found again.</summary>
internal sealed class VanishingProvider(SimulatedHs4Provider inner) : IClockedDigitizerProvider
{
    public IDaqClock Clock => inner.Clock;

    private int _opens;

    public int Attempts => _opens;

    public IReadOnlyList<DigitizerIdentity> ListDevices() => _opens == 0 ? inner.ListDevices() : [];

    public IDigitizer? TryOpen(string? serialNumber) => Interlocked.Increment(ref _opens) == 1 ? inner.TryOpen(serialNumber) : null;
}
