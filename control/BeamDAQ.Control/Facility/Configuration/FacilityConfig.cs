namespace BeamDAQ.Control.Facility.Configuration;

/// <summary>
/// configs/facility.yaml: where the facility's devices listen, how the simulated facility behaves, and the
/// calibrations the slow-control side needs to turn raw device values into physics (NTC, B(I), beam profile).
/// One file serves both sides so the simulator and its clients cannot disagree about a port or a coefficient.
/// Every property has the default of the shipped file, so a partial file is valid.
/// </summary>
public sealed class FacilityConfig
{
    /// <summary>Address every device listens on unless its section names another.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>
    /// Device ports are base_port + a fixed offset (see <see cref="FacilityDevices.PortOffset"/>); 0 lets the
    /// system choose a free port per device (tests).
    /// </summary>
    public int BasePort { get; set; } = 5025;

    public MagnetConfig Magnet { get; set; } = new();
    public CollimatorsConfig Collimators { get; set; } = new();
    public HvConfig Hv { get; set; } = new();
    public TemperaturesConfig Temperatures { get; set; } = new();
    public BeamConfig Beam { get; set; } = new();
    public SlowControlConfig SlowControl { get; set; } = new();
    public AlarmsConfig Alarms { get; set; } = new();

    internal void Validate(ConfigErrors errors)
    {
        if (string.IsNullOrWhiteSpace(Host))
            errors.Add("host", Host, "a host name or IP address");
        errors.Range("base_port", BasePort, 0, 65535 - FacilityDevices.All.Count);
        Magnet.Validate(errors, "magnet");
        Collimators.Validate(errors, "collimators");
        Hv.Validate(errors, "hv");
        Temperatures.Validate(errors, "temperatures");
        Beam.Validate(errors, "beam");
        SlowControl.Validate(errors, "slow_control");
        Alarms.Validate(errors, "alarms", Temperatures);
    }
}

/// <summary>The optional per-device address override of a real facility, where each device has its own IP.</summary>
public abstract class DeviceAddressConfig
{
    /// <summary>Overrides the top-level host for this device.</summary>
    public string? Host { get; set; }

    /// <summary>Overrides base_port + offset for this device.</summary>
    public int? Port { get; set; }

    protected void ValidateAddress(ConfigErrors errors, string prefix)
    {
        if (Host is not null && string.IsNullOrWhiteSpace(Host))
            errors.Add(prefix + ".host", Host, "a host name or IP address");
        if (Port is int port)
            errors.Range(prefix + ".port", port, 0, 65535);
    }
}
