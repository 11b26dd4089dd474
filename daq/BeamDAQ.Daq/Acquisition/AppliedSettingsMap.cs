using System.Collections;
using System.Globalization;
using BeamDAQ.Daq.Digitizers;

namespace BeamDAQ.Daq.Acquisition;

/// <summary>
/// The digitizer settings as applied, as the map recorded in <c>run.begin</c> (<c>applied</c>) and returned by
/// run control's <c>configure</c>; and the comparison a reconnected device must pass before a run resumes
/// (every applied value equal to the run's, or the run ends naming what changed).
/// </summary>
public static class AppliedSettingsMap
{
    public static Dictionary<string, object?> ToMap(AppliedSettings a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["device"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["model"] = a.Device.Model,
                ["serial"] = a.Device.SerialNumber,
                ["driver"] = a.Device.DriverVersion,
            },
            ["resolution_bits"] = (long)a.ResolutionBits,
            ["sample_rate_hz"] = a.SampleRateHz,
            ["record_length"] = (long)a.RecordLength,
            ["pre_sample_ratio"] = a.PreSampleRatio,
            ["channels"] = a.Channels.Select(c => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["id"] = (long)c.Id,
                ["enabled"] = c.Enabled,
                ["range_v"] = c.RangeVolts,
                ["coupling"] = c.Coupling == Coupling.AC ? "ac" : "dc",
                ["lsb_v"] = c.VoltsPerCode,
                ["offset_v"] = c.OffsetVolts,
            }).ToList(),
            ["trigger"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["input"] = a.TriggerInput,
                ["edge"] = a.TriggerEdge == TriggerEdge.Falling ? "falling" : "rising",
                ["timeout_s"] = a.TriggerTimeout?.TotalSeconds,
                ["holdoff_s"] = a.TriggerHoldOff.TotalSeconds,
            },
        };
    }

    /// <summary>Every applied value that differs, as "key: expected → actual"; empty when the device took the same settings.</summary>
    public static IReadOnlyList<string> Differences(AppliedSettings expected, AppliedSettings actual)
    {
        var differences = new List<string>();
        Compare("", ToMap(expected), ToMap(actual), differences);
        return differences;
    }

    private static void Compare(string path, object? expected, object? actual, List<string> differences)
    {
        switch (expected, actual)
        {
            case (IDictionary<string, object?> e, IDictionary<string, object?> a):
                foreach (var key in e.Keys.Union(a.Keys))
                    Compare(path.Length == 0 ? key : $"{path}.{key}", e.TryGetValue(key, out var ev) ? ev : null, a.TryGetValue(key, out var av) ? av : null, differences);
                return;
            case (IList e, IList a):
                if (e.Count != a.Count)
                {
                    differences.Add($"{path}: {e.Count} entries → {a.Count}");
                    return;
                }
                for (int i = 0; i < e.Count; i++) Compare($"{path}[{i}]", e[i], a[i], differences);
                return;
            default:
                if (!Equals(expected, actual)) differences.Add($"{path}: {Show(expected)} → {Show(actual)}");
                return;
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
