using System.Globalization;
using BeamDAQ.Control.Catalog;

namespace BeamDAQ.Control.Commands;

/// <summary>How run values read in human output (tables and <c>runs show</c>).</summary>
internal static class RunFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant) : "—";

    public static string PreciseTime(DateTimeOffset? time) => time is { } t ? CatalogTime.ToText(t) : "—";

    public static string Duration(TimeSpan? duration) => duration is { } d
        ? d.TotalHours >= 1 ? $"{(int)d.TotalHours}:{d.Minutes:00}:{d.Seconds:00}" : $"{d.Minutes}:{d.Seconds:00}"
        : "—";

    public static string Count(long? count) => count?.ToString("N0", Invariant) ?? "—";

    public static string Number(double? value, string unit = "") =>
        value is { } v ? v.ToString("G6", Invariant) + (unit.Length > 0 ? " " + unit : "") : "—";

    /// <summary>λ ± Δλ with the error to two significant digits and λ to the same decimal place.</summary>
    public static string Lambda(double? lambda, double? error)
    {
        if (lambda is not { } l)
            return "—";
        if (error is not { } e || e <= 0)
            return l.ToString("0.###", Invariant);
        int decimals = Math.Clamp(1 - (int)Math.Floor(Math.Log10(e)), 0, 6);
        string format = "F" + decimals;
        return $"{l.ToString(format, Invariant)} ± {e.ToString(format, Invariant)}";
    }

    public static string Aperture(CollimatorSetting? c) =>
        c is null ? "—" : $"{c.ApertureXMm.ToString("0.##", Invariant)} × {c.ApertureYMm.ToString("0.##", Invariant)} mm";

    public static string Collimator(CollimatorSetting? c)
    {
        if (c is null)
            return "—";
        string text = $"{Aperture(c)} centred at ({c.CentreXMm.ToString("0.###", Invariant)}, {c.CentreYMm.ToString("0.###", Invariant)}) mm";
        if (c.JawLeftMm is not null || c.JawRightMm is not null || c.JawBottomMm is not null || c.JawTopMm is not null)
            text += $"; jaws left {Number(c.JawLeftMm)}, right {Number(c.JawRightMm)}, bottom {Number(c.JawBottomMm)}, top {Number(c.JawTopMm)} mm";
        return text;
    }

    public static string State(RunState state) => state switch
    {
        RunState.Running => "running",
        RunState.Ended => "ended",
        RunState.Aborted => "aborted",
        _ => state.ToString(),
    };

    /// <summary>The first line of a comment, shortened for a table cell.</summary>
    public static string FirstLine(string text, int max = 60)
    {
        int newline = text.AsSpan().IndexOfAny('\r', '\n');
        string line = newline >= 0 ? text[..newline] + " …" : text;
        return line.Length > max ? line[..(max - 1)] + "…" : line;
    }

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "—",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.0} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB",
    };
}
