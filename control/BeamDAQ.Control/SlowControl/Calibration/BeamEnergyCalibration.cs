using BeamDAQ.Control.Facility.Configuration;

namespace BeamDAQ.Control.SlowControl.Calibration;

/// <summary>
/// Energy selection by the dipole: p = 0.2998·B·ρ (GeV/c, T, m — the rule of thumb's 0.3 is c/10⁹) and
/// E_kin = √(p² + m²) − m for the electrons that follow the orbit of radius ρ to the exit collimator.
/// </summary>
public sealed class BeamEnergyCalibration
{
    public const double ElectronMassMeV = 0.51099895;
    public const double GeVPerTeslaMetre = 0.299792458;

    public BeamEnergyCalibration(MagnetFieldCalibration field, double bendingRadiusM)
    {
        if (!(bendingRadiusM > 0))
            throw new ArgumentOutOfRangeException(nameof(bendingRadiusM), bendingRadiusM, "the bending radius must be > 0 m");
        Field = field;
        BendingRadiusM = bendingRadiusM;
    }

    public MagnetFieldCalibration Field { get; }
    public double BendingRadiusM { get; }

    public static BeamEnergyCalibration FromConfig(MagnetConfig magnet) =>
        new(MagnetFieldCalibration.FromConfig(magnet.FieldCalibration), magnet.BendingRadiusM);

    public double MomentumMeV(double currentA) => 1000 * GeVPerTeslaMetre * Field.FieldT(currentA) * BendingRadiusM;

    public double KineticEnergyMeV(double currentA)
    {
        double p = MomentumMeV(currentA);
        if (p <= 0)
            return 0;
        return Math.Sqrt(p * p + ElectronMassMeV * ElectronMassMeV) - ElectronMassMeV;
    }

    /// <summary>The coil current that selects electrons of the given kinetic energy (NaN when out of reach).</summary>
    public double CurrentForKineticEnergy(double kineticMeV)
    {
        double p = Math.Sqrt(kineticMeV * (kineticMeV + 2 * ElectronMassMeV));
        return Field.CurrentForField(p / (1000 * GeVPerTeslaMetre * BendingRadiusM));
    }
}
