namespace BeamDAQ.Control.Facility.Configuration;

/// <summary>The detector bias supply (SCPI): ramps, reads back leakage current, trips above a limit.</summary>
public sealed class HvConfig : DeviceAddressConfig
{
    public double MaxVoltageV { get; set; } = 1000.0;
    public double RampRateVPerS { get; set; } = 50.0;

    /// <summary>Bulk resistance of the biased diamond: 500 V give 1 nA of leakage.</summary>
    public double LeakageResistanceOhm { get; set; } = 5.0e11;

    /// <summary>The supply switches off (trips) when the leakage current exceeds this.</summary>
    public double TripCurrentA { get; set; } = 1.0e-7;

    /// <summary>Largest trip limit the supply accepts (CURR:LIM).</summary>
    public double MaxTripCurrentA { get; set; } = 1.0e-5;

    /// <summary>Start-up state: detector biased at 500 V (1 V/µm for the 500 µm diamond).</summary>
    public double InitialVoltageV { get; set; } = 500.0;
    public bool InitialOutputOn { get; set; } = true;

    internal void Validate(ConfigErrors errors, string prefix)
    {
        ValidateAddress(errors, prefix);
        errors.Positive(prefix + ".max_voltage_v", MaxVoltageV, 100_000, "V");
        errors.Positive(prefix + ".ramp_rate_v_per_s", RampRateVPerS, 100_000, "V/s");
        errors.Positive(prefix + ".leakage_resistance_ohm", LeakageResistanceOhm, 1e18, "ohm");
        errors.Positive(prefix + ".max_trip_current_a", MaxTripCurrentA, 1.0, "A");
        errors.Positive(prefix + ".trip_current_a", TripCurrentA, MaxTripCurrentA, "A");
        errors.Range(prefix + ".initial_voltage_v", InitialVoltageV, -MaxVoltageV, MaxVoltageV, "V");
    }
}
