using BeamDAQ.Control.Facility.Beam;
using BeamDAQ.Control.SlowControl.Calibration;

namespace BeamDAQ.Control.Facility.Devices;

/// <summary>
/// The beam as the detector sees it: λ follows the collimators' actual jaw positions (also while they move)
/// and the energy the magnet's actual current selects; the photo-injector can be switched off for beam-off
/// (noise) runs.
/// </summary>
public sealed class SimulatedBeam
{
    private readonly SimulatedCollimatorMaster collimators;
    private readonly SimulatedMagnetSupply magnet;
    private volatile bool on;

    public SimulatedBeam(BeamIntensityModel model, BeamEnergyCalibration energy, SimulatedCollimatorMaster collimators,
        SimulatedMagnetSupply magnet, double bunchRateHz, bool initiallyOn)
    {
        Model = model;
        Energy = energy;
        this.collimators = collimators;
        this.magnet = magnet;
        BunchRateHz = bunchRateHz;
        on = initiallyOn;
    }

    public BeamIntensityModel Model { get; }
    public BeamEnergyCalibration Energy { get; }
    public double BunchRateHz { get; }

    public bool On
    {
        get => on;
        set => on = value;
    }

    /// <summary>Kinetic energy of the electrons the magnet steers onto the exit collimator now, MeV.</summary>
    public double SelectedEnergyMeV => Energy.KineticEnergyMeV(magnet.MeasuredCurrentA);

    /// <summary>Mean electrons per bunch now.</summary>
    public double Lambda => on
        ? Model.Lambda(collimators.TruePositions(CollimatorId.Entrance), collimators.TruePositions(CollimatorId.Exit), SelectedEnergyMeV)
        : 0.0;
}
