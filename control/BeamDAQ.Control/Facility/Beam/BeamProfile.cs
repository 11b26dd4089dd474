using BeamDAQ.Control.Facility.Configuration;

namespace BeamDAQ.Control.Facility.Beam;

/// <summary>
/// The fitted shape of the electron spot at the exit collimator: λ with the exit wide open, the Gaussian
/// widths, and the jaws' edge transparency (see <see cref="BeamIntensityModel"/>).
/// </summary>
public readonly record struct BeamProfile(double LambdaFullOpen, double SigmaXMm, double SigmaYMm, double EdgeTransparencyMm)
{
    public static BeamProfile FromConfig(BeamConfig config) =>
        new(config.LambdaFullOpen, config.SigmaXMm, config.SigmaYMm, config.EdgeTransparencyMm);
}
