using System.Globalization;

namespace BeamDAQ.Daq.Acquisition;

/// <summary>How the triggers missed during a device outage were counted.</summary>
public enum MissedTriggerSource
{
    /// <summary>From the device's own trigger counter (the simulator's bunch clock): exact.</summary>
    TriggerCounter,
    /// <summary>Estimated from the trigger rate measured before the outage (or the nominal rate): the real HS4 counts no triggers.</summary>
    EstimatedFromRate,
}

/// <summary>
/// One stretch of a run without the digitizer: from the moment it was lost to the moment it was reopened and every
/// setting verified (<see cref="End"/> null when it never came back). <see cref="Missed"/> is the triggers that
/// fell into it: all triggers between the last event before and the first event after.
/// </summary>
public sealed record DeviceGap(DateTimeOffset Start, DateTimeOffset? End, ulong Missed, MissedTriggerSource Source, string Cause)
{
    public TimeSpan? Duration => End - Start;

    /// <summary>The map in <c>run.end</c> (<c>gaps</c>) and in the <c>device-recovered</c> alarm (<c>gap</c>).</summary>
    public Dictionary<string, object?> ToMap() => new(StringComparer.Ordinal)
    {
        ["start_ns"] = UnixNanoseconds(Start),
        ["end_ns"] = End is { } end ? UnixNanoseconds(end) : null,
        ["duration_s"] = Duration?.TotalSeconds,
        ["missed"] = Missed,
        ["missed_source"] = Source.ToWire(),
        ["cause"] = Cause,
    };

    public string Describe() =>
        string.Create(CultureInfo.InvariantCulture, $"{(Duration is { } d ? $"{d.TotalSeconds:0.###} s" : "open-ended")} outage from {Start:yyyy-MM-ddTHH:mm:ss.fffZ}, {Missed} trigger(s) missed ({Source.ToWire()})");

    internal static long UnixNanoseconds(DateTimeOffset t) => (t - DateTimeOffset.UnixEpoch).Ticks * 100;
}

public static class MissedTriggerSourceNames
{
    public static string ToWire(this MissedTriggerSource source) =>
        source == MissedTriggerSource.TriggerCounter ? "trigger-counter" : "estimated-from-rate";
}
