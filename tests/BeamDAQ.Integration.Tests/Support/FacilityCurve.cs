using BeamDAQ.Control.Catalog;
using BeamDAQ.Control.Facility;
using BeamDAQ.Control.Facility.Beam;
using BeamDAQ.Control.Facility.Configuration;

namespace BeamDAQ.Integration.Tests.Support;

/// <summary>
/// The known λ-versus-aperture curve: the facility's calibrated beam model (configs/facility.yaml, fitted to the
/// LEETECH paper's four settings), evaluated at the jaw positions and beam energy a run recorded in the catalog.
/// </summary>
public sealed class FacilityCurve
{
    private readonly BeamIntensityModel _model;

    private FacilityCurve(BeamIntensityModel model) => _model = model;

    public static FacilityCurve FromConfiguration() => new(new BeamIntensityModel(FacilityConfigLoader.Load(Repository.FacilityConfig).Beam));

    /// <summary>λ the simulated beam had during <paramref name="run"/>.</summary>
    public double Lambda(RunRecord run)
    {
        var settings = run.Settings;
        return _model.Lambda(Jaws(settings.EntranceCollimator, run.Run, "entrance"), Jaws(settings.ExitCollimator, run.Run, "exit"),
            settings.BeamEnergyMeV ?? throw new InvalidOperationException($"run {run.Run}: no beam energy in the catalog"));
    }

    private static JawPositions Jaws(CollimatorSetting? collimator, long run, string which)
    {
        if (collimator is not { JawLeftMm: { } left, JawRightMm: { } right, JawTopMm: { } top, JawBottomMm: { } bottom })
            throw new InvalidOperationException($"run {run}: the {which} collimator's jaw positions are not in the catalog");
        return new JawPositions(left, right, top, bottom);
    }
}
