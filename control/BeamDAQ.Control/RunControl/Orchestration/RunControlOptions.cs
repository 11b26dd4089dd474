namespace BeamDAQ.Control.RunControl.Orchestration;

/// <summary>The run controller's settings (from configs/control.yaml and the command line).</summary>
public sealed record RunControlOptions
{
    /// <summary>Recorded as the operator when a start names none; null: the user running the control node.</summary>
    public string? DefaultOperator { get; init; }

    /// <summary>Recorded as the detector under test.</summary>
    public string? Detector { get; init; } = "diamond 4x4 mm2 500 um";

    /// <summary>How long a start waits for the exit collimator's jaws to report SETTLED.</summary>
    public TimeSpan CollimatorSettleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The largest aperture a start may ask for (the facility's collimators.max_aperture_mm).</summary>
    public double MaxApertureMm { get; init; } = 21.0;

    /// <summary>No <c>daq.status</c> heartbeat for this long while a run is recorded: the front end is checked, then declared lost.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a stop, how long to wait for the front end's <c>run.end</c>, which carries the dead time and the device-loss
    /// gaps its stop reply lacks (zero: do not wait, use the last heartbeat's figures).
    /// </summary>
    public TimeSpan RunEndWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a running run's counters are written to the catalog (so a crash still leaves them).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Pass the facility's beam (λ from the beam monitor, energy from the magnet) to the daq's simulator at configure,
    /// so that a simulated run sees the intensity the collimators let through. Harmless for the HS4 driver.
    /// </summary>
    public bool SimulatedBeamFromFacility { get; init; } = true;

    /// <summary>Further overrides of the daq configuration sent with every configure (nested maps of daq.yaml keys).</summary>
    public IReadOnlyDictionary<string, object?>? DaqConfigOverrides { get; init; }

    public string ResolvedDefaultOperator =>
        DefaultOperator is { Length: > 0 } name ? name
        : Environment.GetEnvironmentVariable("USER") is { Length: > 0 } user ? user
        : Environment.UserName;
}
