namespace BeamDAQ.Daq.Digitizers;

/// <summary>
/// A digitizer in block mode, shaped by the HS4: configure (returning what was actually applied) → arm →
/// wait for trigger / data ready / device removed / time-out → read the valid window → arm again.
/// Implementations: the HS4 driver over libtiepie (<c>Digitizers/Hs4</c>) and the simulator
/// (<c>Digitizers/Simulation</c>). Not thread-safe: one acquisition thread owns it.
/// </summary>
public interface IDigitizer : IDisposable
{
    DigitizerIdentity Identity { get; }

    /// <summary>
    /// Validates <paramref name="requested"/> against the device's limits, applies it and returns the values
    /// the device actually took (a range request snaps up to the next range, for instance).
    /// </summary>
    /// <exception cref="DigitizerSettingsException">A setting outside the device's limits; nothing is applied.</exception>
    /// <exception cref="DigitizerGoneException">The device dropped off the bus.</exception>
    AppliedSettings Configure(DigitizerSettings requested);

    /// <summary>Starts one block acquisition; the device then waits for its trigger.</summary>
    /// <exception cref="DigitizerGoneException">The device dropped off the bus.</exception>
    void Arm();

    /// <summary>
    /// Waits until the armed block is ready, the device is removed, <paramref name="watchdog"/> passes
    /// without a trigger, or <paramref name="cancellation"/> fires (then <see cref="WaitOutcome.Cancelled"/>).
    /// </summary>
    WaitOutcome WaitForData(TimeSpan watchdog, CancellationToken cancellation);

    /// <summary>
    /// Reads the valid window of the last block into <paramref name="block"/> (whose buffers are sized for the
    /// applied record length and reused from event to event).
    /// </summary>
    /// <exception cref="DigitizerGoneException">The device dropped off the bus during the read.</exception>
    void Read(AcquiredBlock block);

    /// <summary>Stops a pending acquisition (safe to call when nothing is armed).</summary>
    void Disarm();
}

public enum WaitOutcome
{
    DataReady,
    DeviceRemoved,
    /// <summary>The watchdog passed with no trigger: the beam trigger is missing.</summary>
    WatchdogExpired,
    Cancelled,
}
