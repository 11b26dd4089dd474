using BeamDAQ.Control.Facility.Configuration;
using MathNet.Numerics;

namespace BeamDAQ.Control.Facility.Beam;

/// <summary>
/// λ, the mean number of electrons per bunch reaching the detector, as a function of the jaw positions:
/// <code>
/// λ = λ_open · E(entrance) / E(entrance reference) · Px(exit) · Py(exit) · S(energy)
/// </code>
/// Px is the fraction of a centred Gaussian spot (σx) between the left and right jaw edges, each edge moved
/// outwards by half the edge transparency δ·(1 − exp(−w/onset)) — electrons crossing the jaws' thin edges
/// make the effective opening wider than the geometric one, which is what makes a 1.2 mm slit pass almost a
/// third of a 6.9 mm one in the LEETECH data. Py likewise; E is the same construction at the entrance with
/// its own widths, normalised to the paper's 2.6 × 1.8 mm² entrance; S is the magnet's energy acceptance.
/// </summary>
public sealed class BeamIntensityModel
{
    private readonly BeamConfig config;
    private readonly double entranceReference;

    public BeamIntensityModel(BeamConfig config) : this(config, BeamProfile.FromConfig(config)) { }

    public BeamIntensityModel(BeamConfig config, BeamProfile profile)
    {
        this.config = config;
        Profile = profile;
        entranceReference = EntranceAcceptance(JawPositions.Centred(config.Entrance.ReferenceXMm, config.Entrance.ReferenceYMm));
    }

    public BeamProfile Profile { get; }

    /// <summary>λ for the given jaw positions with the magnet at the reference energy.</summary>
    public double Lambda(JawPositions entrance, JawPositions exit) =>
        Profile.LambdaFullOpen * EntranceFactor(entrance) * ExitTransmission(exit);

    /// <summary>λ including the magnet's selection of <paramref name="selectedEnergyMeV"/>.</summary>
    public double Lambda(JawPositions entrance, JawPositions exit, double selectedEnergyMeV) =>
        Lambda(entrance, exit) * EnergyAcceptance(selectedEnergyMeV);

    /// <summary>Fraction of the exit spot passing the exit jaws.</summary>
    public double ExitTransmission(JawPositions exit) =>
        Fraction(exit.Left, exit.Right, Profile.SigmaXMm) * Fraction(exit.Bottom, exit.Top, Profile.SigmaYMm);

    /// <summary>The entrance collimator's effect relative to the reference opening (1 at 2.6 × 1.8 mm²).</summary>
    public double EntranceFactor(JawPositions entrance) => EntranceAcceptance(entrance) / entranceReference;

    /// <summary>Gaussian acceptance around the reference energy; 1 when energy_width_mev is 0.</summary>
    public double EnergyAcceptance(double selectedEnergyMeV)
    {
        if (config.EnergyWidthMev <= 0)
            return 1.0;
        double z = (selectedEnergyMeV - config.EnergyReferenceMev) / config.EnergyWidthMev;
        return Math.Exp(-0.5 * z * z);
    }

    private double EntranceAcceptance(JawPositions entrance) =>
        Fraction(entrance.Left, entrance.Right, config.Entrance.SigmaXMm) *
        Fraction(entrance.Bottom, entrance.Top, config.Entrance.SigmaYMm);

    private double Fraction(double low, double high, double sigma) =>
        GaussianFraction(low, high, sigma, Profile.EdgeTransparencyMm, config.EdgeOnsetMm);

    /// <summary>
    /// Fraction of a centred Gaussian between two jaw edges widened by the edge transparency; 0 when the jaws
    /// touch or cross.
    /// </summary>
    internal static double GaussianFraction(double low, double high, double sigma, double edgeTransparency, double edgeOnset)
    {
        double width = high - low;
        if (width <= 0)
            return 0;
        double extra = edgeTransparency * (1 - Math.Exp(-width / edgeOnset)) / 2;
        double scale = Math.Sqrt(2) * sigma;
        return 0.5 * (SpecialFunctions.Erf((high + extra) / scale) - SpecialFunctions.Erf((low - extra) / scale));
    }
}
