using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Configuration;
using BeamDAQ.Control.RunControl.Daq;
using BeamDAQ.Control.RunControl.Orchestration;

namespace BeamDAQ.Control.RunControl.Node;

/// <summary>Everything a control node needs, resolved (configuration file, command line, token files).</summary>
public sealed record ControlNodeOptions
{
    /// <summary>PATH or PostgreSQL connection string.</summary>
    public required string Catalog { get; init; }
    public required string ListenAddress { get; init; }
    /// <summary>Required (and only used) when the listen address is not loopback.</summary>
    public string? ListenToken { get; init; }
    /// <summary>The control node's PUB (sc, alarm, run.state); null: nothing published.</summary>
    public string? PublishAddress { get; init; }
    public required DaqClientOptions Daq { get; init; }
    public required string DaqPublishAddress { get; init; }
    /// <summary>The analysis PUB carrying <c>fit</c>; null: fits are not recorded.</summary>
    public string? AnalysisPublishAddress { get; init; }
    /// <summary>The facility's devices; null: no slow control, no facility read at start.</summary>
    public FacilityEndpoints? Facility { get; init; }
    public FacilityConfig FacilityConfig { get; init; } = FacilityConfigLoader.Defaults();
    public RunControlOptions RunControl { get; init; } = new();
    public TimeSpan? IdleStoreInterval { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan SupervisionInterval { get; init; } = TimeSpan.FromMilliseconds(200);
}
