using System.Globalization;

namespace BeamDAQ.Daq.Digitizers.Simulation.Physics;

/// <summary>
/// Landau-distributed deposits with the Landau–Vavilov most probable value, truncated at the electron's
/// kinetic energy (an electron cannot leave more than it has): draws above the cap are redrawn.
/// </summary>
public sealed class TruncatedLandauDeposit : IDepositModel
{
    private const int MaxRedraws = 10_000;

    public TruncatedLandauDeposit(LandauVavilov parameters)
    {
        if (!(parameters.MostProbableMeV > 0) || parameters.MostProbableMeV >= parameters.KineticEnergyMeV)
            throw new ArgumentException(
                $"the most probable deposit {parameters.MostProbableMeV:G4} MeV is not below the kinetic energy {parameters.KineticEnergyMeV:G4} MeV: " +
                "the electron would stop in the detector and the thin-absorber Landau model does not apply", nameof(parameters));
        Parameters = parameters;
    }

    public LandauVavilov Parameters { get; }

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"landau(mpv={Parameters.MostProbableMeV:G4} MeV, xi={Parameters.XiMeV:G4} MeV, cap={Parameters.KineticEnergyMeV:G4} MeV, {Parameters.Material.Name} {Parameters.ThicknessMicrometres:G4} um)");

    public double SampleMeV(Random random)
    {
        double cap = Parameters.LambdaAtKineticEnergy;
        for (int i = 0; i < MaxRedraws; i++)
        {
            double lambda = LandauDistribution.Sample(random);
            if (lambda <= cap)
            {
                // The far left tail can formally go below zero for very thin layers; a deposit is never negative.
                return Math.Max(0, Parameters.DepositOf(lambda));
            }
        }
        throw new InvalidOperationException("the truncated Landau distribution rejected 10000 draws in a row: the cap is inconsistent");
    }
}
