using BeamDAQ.Daq.Digitizers.Simulation.Faults;

namespace BeamDAQ.Daq.Digitizers.Simulation;

/// <summary>Where a simulated electron's deposit comes from.</summary>
public enum DepositResponse
{
    /// <summary>Landau with the Landau–Vavilov most probable value, truncated at the kinetic energy.</summary>
    Landau,
    /// <summary>Entries of a recorded single-electron template (e.g. Geant4), chosen uniformly.</summary>
    Template,
}

/// <summary>How the simulator's time relates to the wall clock.</summary>
public enum SimulationPacing
{
    /// <summary>Bunches arrive in real time (5 Hz means 5 per wall-clock second).</summary>
    RealTime,
    /// <summary>No waiting: simulated time jumps to the next bunch at once (<c>--rate max</c>).</summary>
    Max,
}

public enum PulsePolarity { Positive, Negative }

/// <summary>
/// The simulated beam, detector and HS4 (the <c>simulator:</c> section of the configuration), in SI units.
/// Defaults describe the LEETECH diamond set-up: 5 Hz bunches, 2.7 MeV electrons, 500 µm diamond, 53 mV/MeV.
/// </summary>
public sealed record SimulatorSettings
{
    /// <summary>Seed of every random stream (beam, noise, bunch jitter, trigger phase): same seed, same events.</summary>
    public int Seed { get; init; } = 1;
    public string SerialNumber { get; init; } = "SIM00001";

    public double BunchRateHz { get; init; } = 5;
    /// <summary>Gaussian jitter (σ) of the bunch arrival times.</summary>
    public TimeSpan BunchJitter { get; init; } = TimeSpan.FromMilliseconds(0.5);
    public SimulationPacing Pacing { get; init; } = SimulationPacing.RealTime;

    /// <summary>Mean electrons per bunch for stand-alone runs (a facility model may supply λ instead).</summary>
    public double Lambda { get; init; } = 2.2;
    /// <summary>Relative variance of the bunch intensity: 0 is Poisson, &gt; 0 negative binomial.</summary>
    public double Overdispersion { get; init; }
    public double BeamEnergyMeV { get; init; } = 2.7;

    public string Material { get; init; } = "diamond";
    public double ThicknessMicrometres { get; init; } = 500;
    public DepositResponse Response { get; init; } = DepositResponse.Landau;
    public string? TemplateFile { get; init; }
    /// <summary>Pulse height per deposited energy; the original LEETECH analysis used 0.226 MeV → 12 mV.</summary>
    public double GainVoltsPerMeV { get; init; } = 0.053;

    /// <summary>The channel (1–4) the detector is connected to; other enabled channels see noise only.</summary>
    public int SignalChannel { get; init; } = 1;
    public double ShapingTimeSeconds { get; init; } = 250e-9;
    public int ShaperOrder { get; init; } = 4;
    public double PulseDelaySeconds { get; init; } = 100e-9;
    public PulsePolarity Polarity { get; init; } = PulsePolarity.Positive;

    public double BaselineVolts { get; init; } = 0.0015;
    public double WhiteNoiseVolts { get; init; } = 0.0004;
    public double PinkNoiseVolts { get; init; } = 0.00015;

    public FaultPlan Faults { get; init; } = FaultPlan.None;

    /// <summary>
    /// 0: every event is synthesised. N &gt; 0: N events are synthesised at configuration and replayed in turn
    /// (for throughput benchmarks; the spectrum then repeats every N events).
    /// </summary>
    public int PrecomputedWaveforms { get; init; }
}
