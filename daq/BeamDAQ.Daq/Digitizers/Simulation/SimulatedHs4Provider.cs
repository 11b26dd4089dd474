using BeamDAQ.Daq.Digitizers.Simulation.Beam;
using BeamDAQ.Daq.Digitizers.Timing;

namespace BeamDAQ.Daq.Digitizers.Simulation;

/// <summary>
/// The simulated USB bus with one simulated HS4 on it. Opening follows libtiepie's rules: a device opens once
/// at a time, and a removed device cannot be opened (nor is it listed) until its removal time has passed on
/// the injected clock.
/// </summary>
public sealed class SimulatedHs4Provider : IDigitizerProvider
{
    private readonly SimulatedHs4Device _device;

    /// <param name="settings">Beam, detector, noise and faults.</param>
    /// <param name="clock">Simulation time; <see cref="VirtualClock"/> for no waiting.</param>
    /// <param name="beam">λ per bunch; null uses <see cref="SimulatorSettings.Lambda"/>.</param>
    /// <param name="random">The root random source; null seeds one from <see cref="SimulatorSettings.Seed"/>.</param>
    public SimulatedHs4Provider(SimulatorSettings settings, IDaqClock clock, IBeamIntensitySource? beam = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(clock);
        Settings = settings;
        Clock = clock;
        _device = new SimulatedHs4Device(settings, clock, beam ?? new FixedBeamIntensity(settings.Lambda), random ?? new Random(settings.Seed));
    }

    /// <summary>
    /// A provider with the clock <see cref="SimulatorSettings.Pacing"/> asks for: the wall clock for real time,
    /// a <see cref="VirtualClock"/> starting now for <see cref="SimulationPacing.Max"/>.
    /// </summary>
    public static SimulatedHs4Provider Create(SimulatorSettings settings, IBeamIntensitySource? beam = null)
    {
        IDaqClock clock = settings.Pacing == SimulationPacing.Max ? new VirtualClock(DateTimeOffset.UtcNow) : RealTimeClock.Instance;
        return new SimulatedHs4Provider(settings, clock, beam);
    }

    public SimulatorSettings Settings { get; }
    public IDaqClock Clock { get; }

    /// <summary>What the simulated device has done so far (events, lost bunches, suppressed triggers, removals).</summary>
    public SimulatorCounters Counters => _device.Counters();

    /// <summary>Until when the device is off the bus (null when present).</summary>
    public DateTimeOffset? RemovedUntil => _device.IsPresent ? null : _device.RemovedUntil;

    /// <summary>The single-electron deposit model in use, e.g. for run metadata.</summary>
    public string DepositModelDescription => _device.Deposits.Description;

    public IReadOnlyList<DigitizerIdentity> ListDevices() => _device.IsPresent ? [_device.Identity] : [];

    public IDigitizer? TryOpen(string? serialNumber) => TryOpenSimulated(serialNumber);

    /// <summary>As <see cref="TryOpen"/>, typed, for tests that read <see cref="SimulatedHs4.LastEvent"/>.</summary>
    public SimulatedHs4? TryOpenSimulated(string? serialNumber)
    {
        if (serialNumber is not null && !string.Equals(serialNumber, _device.Identity.SerialNumber, StringComparison.Ordinal)) return null;
        return _device.TryOpen() is { } generation ? new SimulatedHs4(_device, generation) : null;
    }
}
