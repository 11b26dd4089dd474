namespace BeamDAQ.Control.Facility;

/// <summary>The facility's devices, each with its own protocol on its own TCP port.</summary>
public enum FacilityDevice
{
    Magnet,
    Collimators,
    HighVoltage,
    Temperatures,
    Beam,
}

public static class FacilityDevices
{
    public static readonly IReadOnlyList<FacilityDevice> All = Enum.GetValues<FacilityDevice>();

    /// <summary>The device's name in logs, readings (<c>SlowControlReading.Device</c>) and alarms.</summary>
    public static string Name(this FacilityDevice device) => device switch
    {
        FacilityDevice.Magnet => "magnet",
        FacilityDevice.Collimators => "collimators",
        FacilityDevice.HighVoltage => "hv",
        FacilityDevice.Temperatures => "temperatures",
        FacilityDevice.Beam => "beam",
        _ => throw new ArgumentOutOfRangeException(nameof(device), device, null),
    };

    /// <summary>Port = base_port + offset, in the order of the enum (documented in docs/facility.md).</summary>
    public static int PortOffset(this FacilityDevice device) => (int)device;

    public static string Description(this FacilityDevice device) => device switch
    {
        FacilityDevice.Magnet => "magnet power supply (SCPI)",
        FacilityDevice.Collimators => "collimator master (COLL text protocol)",
        FacilityDevice.HighVoltage => "detector HV supply (SCPI)",
        FacilityDevice.Temperatures => "NTC thermistor readout (SCPI)",
        FacilityDevice.Beam => "beam monitor (SCPI)",
        _ => throw new ArgumentOutOfRangeException(nameof(device), device, null),
    };
}
