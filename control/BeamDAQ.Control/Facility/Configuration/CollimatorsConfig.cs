namespace BeamDAQ.Control.Facility.Configuration;

/// <summary>The collimator master: entrance and exit collimators of four piezo-driven jaws each.</summary>
public sealed class CollimatorsConfig : DeviceAddressConfig
{
    /// <summary>
    /// Widest opening per axis. The LEETECH hardware is quoted at 20 mm, but the paper's widest exit setting
    /// is 9.9 × 20.6 mm², so the simulated master accepts up to 21 mm.
    /// </summary>
    public double MaxApertureMm { get; set; } = 21.0;

    /// <summary>Each jaw edge moves within ±travel of the nominal beam axis.</summary>
    public double JawTravelMm { get; set; } = 12.0;

    /// <summary>Linear piezo motor speed.</summary>
    public double JawSpeedMmPerS { get; set; } = 2.0;

    /// <summary>Time the slave's PID needs after arrival before the jaw reports settled.</summary>
    public double SettleTimeS { get; set; } = 0.2;

    /// <summary>Largest final positioning error (the hardware guarantees &lt; 20 µm).</summary>
    public double PositioningErrorUm { get; set; } = 5.0;

    /// <summary>Position sensor resolution: read-back positions are multiples of it.</summary>
    public double SensorResolutionUm { get; set; } = 0.5;

    /// <summary>Start-up apertures (x, y), centred: the paper's entrance 2.6 × 1.8 and exit 9.9 × 3.1 mm².</summary>
    public double[] InitialEntranceMm { get; set; } = [2.6, 1.8];
    public double[] InitialExitMm { get; set; } = [9.9, 3.1];

    internal void Validate(ConfigErrors errors, string prefix)
    {
        ValidateAddress(errors, prefix);
        errors.Positive(prefix + ".max_aperture_mm", MaxApertureMm, 100, "mm");
        errors.Positive(prefix + ".jaw_travel_mm", JawTravelMm, 100, "mm");
        if (JawTravelMm * 2 < MaxApertureMm)
            errors.Add(prefix + ".jaw_travel_mm", JawTravelMm, $"at least max_aperture_mm / 2 = {MaxApertureMm / 2} mm");
        errors.Positive(prefix + ".jaw_speed_mm_per_s", JawSpeedMmPerS, 100, "mm/s");
        errors.Range(prefix + ".settle_time_s", SettleTimeS, 0, 60, "s");
        errors.Range(prefix + ".positioning_error_um", PositioningErrorUm, 0, 19.9, "um (the hardware positions to < 20 um)");
        errors.Positive(prefix + ".sensor_resolution_um", SensorResolutionUm, 100, "um");
        ValidateAperture(errors, prefix + ".initial_entrance_mm", InitialEntranceMm);
        ValidateAperture(errors, prefix + ".initial_exit_mm", InitialExitMm);
    }

    private void ValidateAperture(ConfigErrors errors, string key, double[]? aperture)
    {
        if (aperture is not { Length: 2 })
        {
            errors.Add(key, aperture is null ? null : $"[{string.Join(", ", aperture)}]", "[x, y] in mm");
            return;
        }
        errors.Range(key + "[0]", aperture[0], 0, MaxApertureMm, "mm");
        errors.Range(key + "[1]", aperture[1], 0, MaxApertureMm, "mm");
    }
}
