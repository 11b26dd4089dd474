using BeamDAQ.Control.RunControl.Server;

namespace BeamDAQ.Control.RunControl.Configuration;

/// <summary>
/// configs/control.yaml: where the control node listens and publishes, where the front end, the analysis and the
/// facility are, the catalog, and how runs are supervised. Every key is optional (defaults below, as documented in
/// the shipped file); command-line options override the file.
/// </summary>
public sealed record ControlConfig
{
    /// <summary>The file it came from, or "(defaults)".</summary>
    public string Source { get; init; } = "(defaults)";

    /// <summary>REP for start/stop/status/reset.</summary>
    public string ListenAddress { get; init; } = ControlProtocol.DefaultListenAddress;
    /// <summary>File holding the shared token; required when <see cref="ListenAddress"/> is not loopback.</summary>
    public string? ListenTokenFile { get; init; }
    /// <summary>PUB: sc, alarm, run.state.</summary>
    public string PublishAddress { get; init; } = "tcp://127.0.0.1:5558";

    /// <summary>PATH or PostgreSQL connection string; null: $BEAMDAQ_CATALOG, else runs/catalog.sqlite.</summary>
    public string? Catalog { get; init; }

    public string DaqControlAddress { get; init; } = "tcp://127.0.0.1:5556";
    public string DaqPublishAddress { get; init; } = "tcp://127.0.0.1:5555";
    public string? DaqTokenFile { get; init; }
    public double DaqQueryTimeoutS { get; init; } = 2;
    public double DaqCommandTimeoutS { get; init; } = 10;
    public int DaqRetries { get; init; } = 2;
    public double HeartbeatTimeoutS { get; init; } = 5;
    public bool SimulatedBeamFromFacility { get; init; } = true;
    public IReadOnlyDictionary<string, object?>? DaqConfigOverrides { get; init; }

    /// <summary>The analysis PUB whose <c>fit</c> results are stored; null: no fits recorded.</summary>
    public string? AnalysisPublishAddress { get; init; } = "tcp://127.0.0.1:5557";

    /// <summary>configs/facility.yaml (ports and calibrations); used when it exists, else built-in defaults.</summary>
    public string FacilityConfig { get; init; } = "configs/facility.yaml";
    /// <summary>Overrides the facility file's host and base port.</summary>
    public string? FacilityHost { get; init; }
    public int? FacilityBasePort { get; init; }
    /// <summary>False: no slow control and no facility read at start (a bench without the spectrometer).</summary>
    public bool FacilityEnabled { get; init; } = true;

    public string? DefaultOperator { get; init; }
    public string? Detector { get; init; } = "diamond 4x4 mm2 500 um";
    public double CollimatorSettleTimeoutS { get; init; } = 60;
    public double ProgressIntervalS { get; init; } = 5;

    /// <summary>Between runs, a slow-control quantity is stored at most this often; 0: every poll; null: never.</summary>
    public double? IdleStoreIntervalS { get; init; } = 60;

    /// <summary>How often run control checks heartbeats, ticks the alarms and stores queued readings.</summary>
    public double SupervisionIntervalS { get; init; } = 0.2;
}
