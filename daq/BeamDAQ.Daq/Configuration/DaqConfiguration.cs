using BeamDAQ.Daq.Acquisition.Publishing;
using BeamDAQ.Daq.Digitizers;
using BeamDAQ.Daq.Digitizers.Simulation;
using BeamDAQ.Protocol.Transport;

namespace BeamDAQ.Daq.Configuration;

public enum DigitizerDriver
{
    /// <summary>The simulated HS4 (<see cref="SimulatedHs4Provider"/>): the default for a new user.</summary>
    Simulator,
    /// <summary>A real Handyscope HS4 through libtiepie-hw (<see cref="Digitizers.Hs4.Hs4Provider"/>).</summary>
    Hs4,
}

/// <summary>
/// The validated daq configuration (see <c>configs/daq.yaml</c>): which digitizer and how to set it up, the
/// simulated beam and detector, where runs are written and published, and the acquisition's timers.
/// Load it with <see cref="DaqConfigurationLoader"/>; <see cref="ToMap"/> is what <c>run.begin</c> records.
/// </summary>
public sealed record DaqConfiguration
{
    /// <summary>The file it was read from (or "(defaults)"), plus the sources of any overrides.</summary>
    public string Source { get; init; } = "(defaults)";
    public DigitizerDriver Driver { get; init; } = DigitizerDriver.Simulator;
    /// <summary>What is asked of the digitizer; <see cref="DigitizerSettings.SerialNumber"/> null opens the first one found.</summary>
    public required DigitizerSettings Digitizer { get; init; }
    public SimulatorSettings Simulator { get; init; } = new();
    /// <summary>Where run files are written (relative paths are relative to the working directory).</summary>
    public string OutputDirectory { get; init; } = "runs";
    /// <summary>The PUB socket's bind address for run.begin, evt, run.end, daq.status and alarm.</summary>
    public string PublishAddress { get; init; } = "tcp://127.0.0.1:5555";
    /// <summary>Messages that may wait for the publisher thread; beyond it <see cref="PublishDropPolicy"/> decides which one is lost.</summary>
    public int PublishQueueLength { get; init; } = 64;
    /// <summary>Which message the publication queue gives up when it is full (never the run file's copy).</summary>
    public PublicationDropPolicy PublishDropPolicy { get; init; } = PublicationDropPolicy.DropOldest;
    /// <summary>What the PUB socket does when one subscriber's queue is full: drop for that subscriber only, or for all (counted by the daq).</summary>
    public PublisherDropPolicy SlowSubscriber { get; init; } = PublisherDropPolicy.DropForFullSubscriberOnly;
    /// <summary>The REP socket's bind address for run-control commands (<c>serve</c>).</summary>
    public string RunControlAddress { get; init; } = "tcp://127.0.0.1:5556";
    /// <summary>Secret run-control requests must carry when bound beyond 127.0.0.1; never logged nor recorded.</summary>
    public string? RunControlToken { get; init; }
    /// <summary>How long to wait for a trigger before declaring the beam trigger missing.</summary>
    public TimeSpan Watchdog { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Interval of the daq.status heartbeat.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The configuration as the map recorded in <c>run.begin</c> (same keys as the YAML file; the token redacted).</summary>
    public IReadOnlyDictionary<string, object?> ToMap() => DaqConfigurationMap.ToMap(this);
}
