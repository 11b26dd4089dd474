using BeamDAQ.Control.Facility.Configuration;

namespace BeamDAQ.Control.Facility;

/// <summary>Where each device listens: from the configuration (clients) or as bound by the simulator.</summary>
public sealed class FacilityEndpoints
{
    private readonly IReadOnlyDictionary<FacilityDevice, DeviceEndpoint> endpoints;

    public FacilityEndpoints(IReadOnlyDictionary<FacilityDevice, DeviceEndpoint> endpoints)
    {
        foreach (var device in FacilityDevices.All)
            if (!endpoints.ContainsKey(device))
                throw new ArgumentException($"no endpoint for the {device.Name()} device", nameof(endpoints));
        this.endpoints = endpoints;
    }

    public DeviceEndpoint this[FacilityDevice device] => endpoints[device];

    /// <summary>
    /// The configured endpoints; <paramref name="basePortOverride"/> (the command line's --base-port) replaces
    /// base_port but not a device's explicit port.
    /// </summary>
    public static FacilityEndpoints FromConfig(FacilityConfig config, int? basePortOverride = null)
    {
        int basePort = basePortOverride ?? config.BasePort;
        var map = new Dictionary<FacilityDevice, DeviceEndpoint>();
        foreach (var device in FacilityDevices.All)
        {
            DeviceAddressConfig section = device switch
            {
                FacilityDevice.Magnet => config.Magnet,
                FacilityDevice.Collimators => config.Collimators,
                FacilityDevice.HighVoltage => config.Hv,
                FacilityDevice.Temperatures => config.Temperatures,
                _ => config.Beam,
            };
            // Port 0 stays 0 for every device: the system picks a free port each.
            int port = section.Port ?? (basePort == 0 ? 0 : basePort + device.PortOffset());
            map[device] = new DeviceEndpoint(section.Host ?? config.Host, port);
        }
        return new FacilityEndpoints(map);
    }

    public override string ToString() =>
        string.Join(", ", FacilityDevices.All.Select(d => $"{d.Name()}={endpoints[d]}"));
}

public readonly record struct DeviceEndpoint(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";
}
