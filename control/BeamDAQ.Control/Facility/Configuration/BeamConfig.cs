namespace BeamDAQ.Control.Facility.Configuration;

/// <summary>
/// The simulated beam: λ (mean electrons per bunch) follows the collimator jaws through a Gaussian spot
/// integrated over the jaw openings. The exit parameters are fitted to the LEETECH paper's four exit settings
/// (see configs/facility.yaml and <c>BeamProfileCalibration</c>).
/// </summary>
public sealed class BeamConfig : DeviceAddressConfig
{
    public double BunchRateHz { get; set; } = 5.0;

    /// <summary>λ with the exit collimator wide open and the entrance at its reference opening.</summary>
    public double LambdaFullOpen { get; set; } = 12.9751;

    /// <summary>Spot size at the exit collimator.</summary>
    public double SigmaXMm { get; set; } = 5.32818;
    public double SigmaYMm { get; set; } = 5.37451;

    /// <summary>
    /// Extra effective opening from electrons crossing the jaws' edges, split over both jaws of an axis. It
    /// needs an opening to exist: it grows as 1 − exp(−w / edge_onset_mm), so closed jaws pass nothing.
    /// </summary>
    public double EdgeTransparencyMm { get; set; } = 1.15839;
    public double EdgeOnsetMm { get; set; } = 0.1;

    public EntranceAcceptanceConfig Entrance { get; set; } = new();

    /// <summary>Energy the source delivers most of; the magnet selects around it.</summary>
    public double EnergyReferenceMev { get; set; } = 2.7;

    /// <summary>Width of the transmitted spectrum around the reference energy; 0 makes λ independent of the magnet.</summary>
    public double EnergyWidthMev { get; set; } = 0.5;

    public bool InitialOn { get; set; } = true;

    internal void Validate(ConfigErrors errors, string prefix)
    {
        ValidateAddress(errors, prefix);
        errors.Positive(prefix + ".bunch_rate_hz", BunchRateHz, 1e6, "Hz");
        errors.Positive(prefix + ".lambda_full_open", LambdaFullOpen, 1e6);
        errors.Positive(prefix + ".sigma_x_mm", SigmaXMm, 1000, "mm");
        errors.Positive(prefix + ".sigma_y_mm", SigmaYMm, 1000, "mm");
        errors.Range(prefix + ".edge_transparency_mm", EdgeTransparencyMm, 0, 10, "mm");
        errors.Positive(prefix + ".edge_onset_mm", EdgeOnsetMm, 10, "mm");
        Entrance.Validate(errors, prefix + ".entrance");
        errors.Range(prefix + ".energy_reference_mev", EnergyReferenceMev, 0.01, 100, "MeV");
        errors.Range(prefix + ".energy_width_mev", EnergyWidthMev, 0, 100, "MeV");
    }
}

/// <summary>
/// The entrance collimator's factor relative to its reference opening (the paper kept it at 2.6 × 1.8 mm²,
/// so only the shape, not the scale, is an assumption).
/// </summary>
public sealed class EntranceAcceptanceConfig
{
    public double SigmaXMm { get; set; } = 3.0;
    public double SigmaYMm { get; set; } = 3.0;
    public double ReferenceXMm { get; set; } = 2.6;
    public double ReferenceYMm { get; set; } = 1.8;

    internal void Validate(ConfigErrors errors, string prefix)
    {
        errors.Positive(prefix + ".sigma_x_mm", SigmaXMm, 1000, "mm");
        errors.Positive(prefix + ".sigma_y_mm", SigmaYMm, 1000, "mm");
        errors.Positive(prefix + ".reference_x_mm", ReferenceXMm, 100, "mm");
        errors.Positive(prefix + ".reference_y_mm", ReferenceYMm, 100, "mm");
    }
}
