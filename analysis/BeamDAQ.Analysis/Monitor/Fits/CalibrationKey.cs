using System.Globalization;
using BeamDAQ.Analysis.Pipeline;

namespace BeamDAQ.Analysis.Monitor.Fits;

/// <summary>
/// What a channel's single-electron response in volts depends on, read from a run's <c>run.begin</c>: the
/// digitizer channel's applied range and coupling, the detector, its HV and the beam energy (to 0.05 MeV: the
/// Landau most probable value moves by well under 1 % within that). Two runs with the same key share a
/// response; a run without a <c>run.begin</c> has the key "unknown" and shares with nothing but another unknown.
/// </summary>
public static class CalibrationKey
{
    public const string Unknown = "unknown";

    public static string Of(RunInfo? run, int channelId)
    {
        if (run is null) return Unknown;
        var parts = new List<string> { "ch" + channelId.ToString(CultureInfo.InvariantCulture) };
        if (run.TryGet("applied.channels", out var channels) && channels is IEnumerable<object?> list)
        {
            foreach (var item in list)
            {
                if (item is not IReadOnlyDictionary<string, object?> channel) continue;
                if (!MapValues.TryGetUInt(channel, "id", out ulong id) || id != (ulong)channelId) continue;
                parts.Add("range=" + Text(channel.GetValueOrDefault("range_v")));
                parts.Add("coupling=" + Text(channel.GetValueOrDefault("coupling")));
            }
        }
        parts.Add("detector=" + (run.TryGet("meta.detector", out var detector) ? Text(detector) : "?"));
        parts.Add("hv=" + (run.TryGetNumber("meta.hv_set_v", out double hv) ? hv.ToString("F0", CultureInfo.InvariantCulture) : "?"));
        parts.Add("energy=" + (run.TryGetNumber("meta.beam_energy_mev", out double energy)
            ? (Math.Round(energy / 0.05) * 0.05).ToString("F2", CultureInfo.InvariantCulture) : "?"));
        return string.Join(' ', parts);
    }

    /// <summary>A key part: the value as a table shows it (<see cref="MapValues.Format"/>), "?" when absent.</summary>
    private static string Text(object? value) => value is null ? "?" : MapValues.Format(value);
}
