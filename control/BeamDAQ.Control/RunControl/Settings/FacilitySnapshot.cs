using BeamDAQ.Control.Catalog;
using Reading = BeamDAQ.Control.SlowControl.SlowControlReading;

namespace BeamDAQ.Control.RunControl.Settings;

/// <summary>
/// The facility as read at the start of a run: the settings the catalog records with the run (beam energy from
/// the magnet current, both collimators, HV), the readings taken on the way (temperatures, ...), the beam monitor's
/// λ for a simulated front end, and what could not be read. Nobody types any of it.
/// </summary>
public sealed record FacilitySnapshot
{
    public required RunSettings Settings { get; init; }
    public IReadOnlyList<Reading> Readings { get; init; } = [];
    /// <summary>Mean electrons per bunch the facility delivers now (beam monitor), if it answered.</summary>
    public double? BeamLambda { get; init; }
    /// <summary>Temperatures by channel name, °C.</summary>
    public IReadOnlyDictionary<string, double> TemperaturesC { get; init; } = new Dictionary<string, double>();
    /// <summary>One line per device or value that could not be read; empty when everything answered.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public static FacilitySnapshot Unavailable(string why, string? detector) =>
        new() { Settings = new RunSettings { Detector = detector }, Problems = [why] };
}
