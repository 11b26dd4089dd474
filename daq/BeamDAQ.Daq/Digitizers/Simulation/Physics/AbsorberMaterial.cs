namespace BeamDAQ.Daq.Digitizers.Simulation.Physics;

/// <summary>
/// A detector material for the energy-loss formulas: ⟨Z/A⟩, density and mean excitation energy I (PDG
/// "Atomic and nuclear properties of materials"). The density-effect correction δ(βγ) uses Sternheimer and
/// Peierls' general parametrisation from the plasma energy, so a material needs no fitted table.
/// </summary>
public sealed record AbsorberMaterial(string Name, double ZOverA, double DensityGramsPerCm3, double MeanExcitationEnergyEv)
{
    /// <summary>Diamond: Z/A = 6/12.011, ρ = 3.52 g/cm³, I = 81 eV.</summary>
    public static AbsorberMaterial Diamond { get; } = new("diamond", 6.0 / 12.011, 3.52, 81.0);

    /// <summary>Silicon: Z/A = 14/28.085, ρ = 2.329 g/cm³, I = 173 eV.</summary>
    public static AbsorberMaterial Silicon { get; } = new("silicon", 14.0 / 28.085, 2.329, 173.0);

    public static IReadOnlyList<AbsorberMaterial> Known { get; } = [Diamond, Silicon];

    public static AbsorberMaterial? Find(string name) =>
        Known.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Plasma energy ħω_p = 28.816 eV · √(ρ ⟨Z/A⟩).</summary>
    public double PlasmaEnergyEv => 28.816 * Math.Sqrt(DensityGramsPerCm3 * ZOverA);

    /// <summary>
    /// Density-effect correction δ(βγ) for a solid (Sternheimer &amp; Peierls 1971): C̄ = 2 ln(I/ħω_p) + 1,
    /// δ = 2 ln10·x − C̄ + a (x₁ − x)³ between x₀ and x₁ (x = log₁₀ βγ), 2 ln10·x − C̄ above x₁, 0 below x₀.
    /// </summary>
    public double DensityEffect(double betaGamma)
    {
        double cBar = 2 * Math.Log(MeanExcitationEnergyEv / PlasmaEnergyEv) + 1;
        double x0, x1;
        if (MeanExcitationEnergyEv < 100)
        {
            x1 = 2.0;
            x0 = cBar < 3.681 ? 0.2 : 0.326 * cBar - 1.0;
        }
        else
        {
            x1 = 3.0;
            x0 = cBar < 5.215 ? 0.2 : 0.326 * cBar - 1.5;
        }
        double a = (cBar - 2 * Math.Log(10) * x0) / Math.Pow(x1 - x0, 3);
        double x = Math.Log10(betaGamma);
        if (x < x0) return 0;
        double delta = 2 * Math.Log(10) * x - cBar;
        if (x < x1) delta += a * Math.Pow(x1 - x, 3);
        return Math.Max(0, delta);
    }
}
