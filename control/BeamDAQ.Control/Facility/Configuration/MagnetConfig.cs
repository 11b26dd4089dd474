namespace BeamDAQ.Control.Facility.Configuration;

/// <summary>The dipole magnet and its power supply (SCPI over a raw socket).</summary>
public sealed class MagnetConfig : DeviceAddressConfig
{
    /// <summary>Supply limits of the LEETECH magnet supply: 50 A / 18 V.</summary>
    public double MaxCurrentA { get; set; } = 50.0;
    public double MaxVoltageV { get; set; } = 18.0;

    /// <summary>Coil resistance: sets the voltage the supply reads back (15 V at 50 A).</summary>
    public double CoilResistanceOhm { get; set; } = 0.3;

    /// <summary>The supply ramps the coil current at this rate towards the set point (inductive load).</summary>
    public double RampRateAPerS { get; set; } = 2.0;

    /// <summary>Field calibration B(I) = linear·I − saturation·I³ (T, A).</summary>
    public FieldCalibrationConfig FieldCalibration { get; set; } = new();

    /// <summary>Radius of the selected electrons' orbit in the dipole, m.</summary>
    public double BendingRadiusM { get; set; } = 0.203;

    /// <summary>The current that selects the paper's 2.7 MeV electrons with the calibration above.</summary>
    public double DefaultCurrentA { get; set; } = 11.869;

    /// <summary>The simulated supply starts as left by the operator: output on at <see cref="DefaultCurrentA"/>.</summary>
    public bool InitialOutputOn { get; set; } = true;

    internal void Validate(ConfigErrors errors, string prefix)
    {
        ValidateAddress(errors, prefix);
        errors.Positive(prefix + ".max_current_a", MaxCurrentA, 1000, "A");
        errors.Positive(prefix + ".max_voltage_v", MaxVoltageV, 1000, "V");
        errors.Positive(prefix + ".coil_resistance_ohm", CoilResistanceOhm, 1000, "ohm");
        errors.Positive(prefix + ".ramp_rate_a_per_s", RampRateAPerS, 1000, "A/s");
        errors.Positive(prefix + ".bending_radius_m", BendingRadiusM, 100, "m");
        errors.Range(prefix + ".default_current_a", DefaultCurrentA, 0, MaxCurrentA, "A");
        FieldCalibration.Validate(errors, prefix + ".field_calibration", MaxCurrentA);
    }
}

/// <summary>B(I) = linear·I − saturation·I³: linear in the iron's unsaturated range, bending over near the top.</summary>
public sealed class FieldCalibrationConfig
{
    public double LinearTPerA { get; set; } = 0.0044;
    public double SaturationTPerA3 { get; set; } = 8.0e-8;

    internal void Validate(ConfigErrors errors, string prefix, double maxCurrent)
    {
        errors.Positive(prefix + ".linear_t_per_a", LinearTPerA, 1.0, "T/A");
        errors.Range(prefix + ".saturation_t_per_a3", SaturationTPerA3, 0, 1.0, "T/A^3");
        // The calibration must stay monotonic over the supply's range, else a field has two currents.
        if (LinearTPerA - 3 * SaturationTPerA3 * maxCurrent * maxCurrent <= 0)
            errors.Add(prefix + ".saturation_t_per_a3", SaturationTPerA3,
                $"a value below linear_t_per_a / (3·max_current_a²) = {LinearTPerA / (3 * maxCurrent * maxCurrent):G4} so B(I) rises up to max_current_a");
    }
}
