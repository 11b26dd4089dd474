namespace BeamDAQ.Control.Catalog;

/// <summary>
/// The facility and detector settings of a run, read back from the devices (never typed in twice): beam energy
/// selected by the dipole, the magnet supply's current and field, both collimators, the detector and its high
/// voltage. Any value the facility could not read stays null.
/// </summary>
public sealed record RunSettings
{
    public double? BeamEnergyMeV { get; init; }
    public double? MagnetCurrentA { get; init; }
    public double? MagnetFieldGauss { get; init; }
    public CollimatorSetting? EntranceCollimator { get; init; }
    public CollimatorSetting? ExitCollimator { get; init; }
    /// <summary>Which detector was under test, e.g. "diamond 4x4 mm2 500 um".</summary>
    public string? Detector { get; init; }
    public double? HvSetVolts { get; init; }
    public double? HvMeasuredVolts { get; init; }
    public double? HvCurrentMicroamps { get; init; }

    public static RunSettings None { get; } = new();
}
