namespace BeamDAQ.Daq.Digitizers.Simulation.Physics;

/// <summary>
/// Energy loss of one electron crossing a thin detector, in the Landau–Vavilov form (PDG, "Passage of
/// particles through matter", eq. 34.12): Δp = ξ [ln(2mc²β²γ²/I) + ln(ξ/I) + j − β² − δ(βγ)] with
/// ξ = (K/2)⟨Z/A⟩ ρx/β² and j = 0.200. A deposit is Δ = Δp + ξ (λ − λ_mp) with λ a standard Landau variate
/// and λ_mp = −0.22278 its mode; it cannot exceed the electron's kinetic energy.
/// </summary>
public sealed record LandauVavilov(
    AbsorberMaterial Material,
    double ThicknessMicrometres,
    double KineticEnergyMeV,
    double XiMeV,
    double MostProbableMeV,
    double BetaSquared,
    double DensityEffect)
{
    public const double ElectronMassMeV = 0.51099895;
    /// <summary>K = 4π N_A r_e² m_e c² in MeV mol⁻¹ cm².</summary>
    public const double K = 0.307075;
    public const double J = 0.200;

    /// <summary>The deposit for a standard Landau variate <paramref name="lambda"/>.</summary>
    public double DepositOf(double lambda) => MostProbableMeV + XiMeV * (lambda - LandauDistribution.Mode);

    /// <summary>The Landau variate at which the deposit equals the kinetic energy (the truncation point).</summary>
    public double LambdaAtKineticEnergy => (KineticEnergyMeV - MostProbableMeV) / XiMeV + LandauDistribution.Mode;

    public static LandauVavilov For(AbsorberMaterial material, double thicknessMicrometres, double kineticEnergyMeV)
    {
        if (!(thicknessMicrometres > 0)) throw new ArgumentOutOfRangeException(nameof(thicknessMicrometres), thicknessMicrometres, "thickness must be > 0 µm");
        if (!(kineticEnergyMeV > 0)) throw new ArgumentOutOfRangeException(nameof(kineticEnergyMeV), kineticEnergyMeV, "kinetic energy must be > 0 MeV");
        double gamma = 1 + kineticEnergyMeV / ElectronMassMeV;
        double betaGamma = Math.Sqrt(gamma * gamma - 1);
        double beta2 = betaGamma * betaGamma / (gamma * gamma);
        double massThickness = material.DensityGramsPerCm3 * thicknessMicrometres * 1e-4; // g/cm²
        double xi = 0.5 * K * material.ZOverA * massThickness / beta2;
        double iMeV = material.MeanExcitationEnergyEv * 1e-6;
        double delta = material.DensityEffect(betaGamma);
        double mpv = xi * (Math.Log(2 * ElectronMassMeV * betaGamma * betaGamma / iMeV) + Math.Log(xi / iMeV) + J - beta2 - delta);
        return new LandauVavilov(material, thicknessMicrometres, kineticEnergyMeV, xi, mpv, beta2, delta);
    }
}
