namespace BeamDAQ.Daq.Digitizers.Simulation.Physics;

/// <summary>The energy one electron deposits in the detector (MeV), drawn per electron.</summary>
public interface IDepositModel
{
    /// <summary>A short description for logs and run metadata, e.g. "landau(mpv=0.218 MeV, ξ=0.0139 MeV, cap=2.7 MeV)".</summary>
    string Description { get; }

    double SampleMeV(Random random);
}
