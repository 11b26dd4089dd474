namespace BeamDAQ.Analysis.Spectrum;

/// <summary>
/// Most probable energy loss of an electron crossing a thin detector (PDG, "Passage of particles through
/// matter", Landau–Vavilov): Δp = ξ [ln(2mc²β²γ²/I) + ln(ξ/I) + j − β² − δ(βγ)], ξ = (K/2)(Z/A)(ρx/β²),
/// j = 0.200, with the Sternheimer density-effect correction δ. The defaults describe the LEETECH diamond
/// (500 µm, ρ = 3.52 g/cm³, I = 78 eV). The truncated-Landau response caps a single deposit at the kinetic
/// energy, which in units of Δp is <see cref="CapInMostProbable"/>.
/// </summary>
public sealed record LandauVavilov(
    double KineticEnergyMeV = 2.7,
    double ThicknessUm = 500,
    double DensityGPerCm3 = 3.52,
    double ZOverA = 6.0 / 12.011,
    double MeanExcitationEv = 78.0,
    // Sternheimer parameters of diamond-density carbon (PDG atomic and nuclear properties table).
    double SternheimerC = 2.868,
    double SternheimerX0 = -0.0178,
    double SternheimerX1 = 2.3415,
    double SternheimerA = 0.26142,
    double SternheimerK = 2.8697,
    double SternheimerDelta0 = 0.12)
{
    private const double ElectronMassMeV = 0.51099895;
    private const double HalfK = 0.1535375; // K/2 = 2π N_A r_e² m_e c² / 2, MeV cm²/g

    public double Gamma => 1 + KineticEnergyMeV / ElectronMassMeV;
    public double BetaGamma => Math.Sqrt(Gamma * Gamma - 1);
    public double BetaSquared => 1 - 1 / (Gamma * Gamma);

    /// <summary>Landau width parameter ξ in MeV.</summary>
    public double XiMeV => HalfK * ZOverA * DensityGPerCm3 * (ThicknessUm * 1e-4) / BetaSquared;

    /// <summary>Density-effect correction δ(βγ).</summary>
    public double DensityEffect
    {
        get
        {
            double x = Math.Log10(BetaGamma);
            if (x >= SternheimerX1) return 2 * Math.Log(10) * x - SternheimerC;
            if (x >= SternheimerX0) return 2 * Math.Log(10) * x - SternheimerC + SternheimerA * Math.Pow(SternheimerX1 - x, SternheimerK);
            return SternheimerDelta0 * Math.Pow(10, 2 * (x - SternheimerX0));
        }
    }

    /// <summary>Most probable deposit Δp in MeV.</summary>
    public double MostProbableMeV
    {
        get
        {
            double xi = XiMeV, iMeV = MeanExcitationEv * 1e-6, b2g2 = BetaGamma * BetaGamma;
            return xi * (Math.Log(2 * ElectronMassMeV * b2g2 / iMeV) + Math.Log(xi / iMeV) + 0.200 - BetaSquared - DensityEffect);
        }
    }

    /// <summary>The kinetic energy in units of the most probable deposit: where a single deposit is capped.</summary>
    public double CapInMostProbable => KineticEnergyMeV / MostProbableMeV;

    /// <summary>ξ / Δp, the Landau width relative to the most probable value (a seed for the fit).</summary>
    public double WidthInMostProbable => XiMeV / MostProbableMeV;

    public void Validate()
    {
        if (!(KineticEnergyMeV > 0.05 && KineticEnergyMeV <= 100))
            throw new ArgumentOutOfRangeException(nameof(KineticEnergyMeV), KineticEnergyMeV, "beam kinetic energy must be in (0.05, 100] MeV");
        if (!(ThicknessUm > 1 && ThicknessUm <= 10_000))
            throw new ArgumentOutOfRangeException(nameof(ThicknessUm), ThicknessUm, "detector thickness must be in (1, 10000] µm");
        if (!(MostProbableMeV > 0 && MostProbableMeV < KineticEnergyMeV))
            throw new ArgumentOutOfRangeException(nameof(ThicknessUm), ThicknessUm,
                $"the most probable deposit ({MostProbableMeV:G4} MeV) must be below the kinetic energy ({KineticEnergyMeV} MeV): the detector is not thin for this beam");
    }
}
