namespace BeamDAQ.Protocol.Events;

/// <summary>How bad an alarm is; on the wire the lower-case name (<c>info</c>, <c>warning</c>, <c>error</c>, <c>critical</c>).</summary>
public enum AlarmSeverity
{
    Info,
    Warning,
    Error,
    Critical,
}

public static class AlarmSeverityNames
{
    public static string ToWire(this AlarmSeverity severity) => severity switch
    {
        AlarmSeverity.Info => "info",
        AlarmSeverity.Warning => "warning",
        AlarmSeverity.Error => "error",
        AlarmSeverity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "not a defined alarm severity"),
    };

    public static bool TryParse(string text, out AlarmSeverity severity)
    {
        foreach (var candidate in Enum.GetValues<AlarmSeverity>())
        {
            if (candidate.ToWire() == text)
            {
                severity = candidate;
                return true;
            }
        }
        severity = default;
        return false;
    }
}
