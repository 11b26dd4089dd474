using BeamDAQ.Control.Catalog;
using BeamDAQ.Protocol.Hosting;

namespace BeamDAQ.Control.RunControl.Settings;

/// <summary>
/// The <c>meta</c> map run control sends with the daq's <c>start</c>, which the daq writes into the run file's
/// <c>run.begin</c>: who, why, and the facility settings read at the start — so the file describes itself without the
/// catalog. Values the facility could not read are left out rather than written as guesses.
/// </summary>
public static class RunMeta
{
    public static Dictionary<string, object?> Build(long run, string @operator, string comment, long? eventsLimit,
        FacilitySnapshot facility, DateTimeOffset startUtc)
    {
        var meta = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["run"] = (ulong)run,
            ["operator"] = @operator,
            ["comment"] = comment,
            ["start_utc"] = CatalogTime.ToText(startUtc),
            ["control_software"] = SoftwareVersion.Current,
        };
        if (eventsLimit is { } limit) meta["events_limit"] = (ulong)limit;

        var s = facility.Settings;
        Add(meta, "beam_energy_mev", s.BeamEnergyMeV);
        Add(meta, "magnet_current_a", s.MagnetCurrentA);
        Add(meta, "magnet_field_gauss", s.MagnetFieldGauss);
        AddCollimator(meta, "exit", s.ExitCollimator);
        AddCollimator(meta, "entrance", s.EntranceCollimator);
        if (s.Detector is { } detector) meta["detector"] = detector;
        Add(meta, "hv_set_v", s.HvSetVolts);
        Add(meta, "hv_measured_v", s.HvMeasuredVolts);
        Add(meta, "hv_current_ua", s.HvCurrentMicroamps);
        if (facility.TemperaturesC.Count > 0)
            meta["temperatures_c"] = facility.TemperaturesC.ToDictionary(t => t.Key, t => (object?)t.Value, StringComparer.Ordinal);
        Add(meta, "facility_lambda", facility.BeamLambda);
        if (facility.Problems.Count > 0)
            meta["facility_problems"] = facility.Problems.Cast<object?>().ToList();
        return meta;
    }

    /// <summary>
    /// The daq configuration overrides for a simulated front end: the facility's beam as the simulator's beam. Only
    /// values inside the daq's accepted ranges are passed (a magnet switched off selects no energy at all).
    /// </summary>
    public static Dictionary<string, object?> SimulatedBeam(FacilitySnapshot facility, ICollection<string> warnings)
    {
        var beam = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (facility.BeamLambda is { } lambda)
        {
            if (lambda is >= 0 and <= 1e4) beam["lambda"] = lambda;
            else warnings.Add($"beam monitor λ = {lambda:G4} is outside the simulator's 0–10000; the daq keeps its own");
        }
        if (facility.Settings.BeamEnergyMeV is { } energy)
        {
            if (energy is >= 0.1 and <= 5) beam["energy_mev"] = energy;
            else warnings.Add($"beam energy {energy:G4} MeV from the magnet is outside the simulator's 0.1–5 MeV; the daq keeps its own");
        }
        return beam.Count == 0 ? [] : new Dictionary<string, object?>(StringComparer.Ordinal) { ["simulator"] = new Dictionary<string, object?> { ["beam"] = beam } };
    }

    /// <summary>Merges <paramref name="overlay"/> into <paramref name="target"/> (nested maps merged key by key).</summary>
    public static void Merge(IDictionary<string, object?> target, IReadOnlyDictionary<string, object?> overlay)
    {
        foreach (var (key, value) in overlay)
        {
            if (value is IReadOnlyDictionary<string, object?> nested
                && target.TryGetValue(key, out var existing) && existing is IDictionary<string, object?> existingMap)
                Merge(existingMap, nested);
            else if (value is IReadOnlyDictionary<string, object?> copy)
            {
                var fresh = new Dictionary<string, object?>(StringComparer.Ordinal);
                Merge(fresh, copy);
                target[key] = fresh;
            }
            else
                target[key] = value;
        }
    }

    private static void AddCollimator(Dictionary<string, object?> meta, string prefix, CollimatorSetting? c)
    {
        if (c is null) return;
        meta[prefix + "_aperture_x_mm"] = c.ApertureXMm;
        meta[prefix + "_aperture_y_mm"] = c.ApertureYMm;
        meta[prefix + "_centre_x_mm"] = c.CentreXMm;
        meta[prefix + "_centre_y_mm"] = c.CentreYMm;
        if (c.JawLeftMm is { } l && c.JawRightMm is { } r && c.JawBottomMm is { } b && c.JawTopMm is { } t)
            meta[prefix + "_jaws_mm"] = new Dictionary<string, object?> { ["left"] = l, ["right"] = r, ["bottom"] = b, ["top"] = t };
    }

    private static void Add(Dictionary<string, object?> meta, string key, double? value)
    {
        if (value is { } v && double.IsFinite(v)) meta[key] = v;
    }
}
