using System.Globalization;
using BeamDAQ.Control.Catalog;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace BeamDAQ.Control.Commands;

/// <summary>The human form of <c>runs show N</c>: the run's record, then each series attached to it.</summary>
internal static class RunDetailsView
{
    public static void Write(IAnsiConsole console, RunDetails details)
    {
        var run = details.Run;
        Heading(console, $"run {run.Run} — {RunFormat.State(run.State)}");
        console.Write(KeyValues(
            ("operator", run.Operator),
            ("comment", run.Comment.Length == 0 ? "—" : run.Comment),
            ("start (UTC)", RunFormat.PreciseTime(run.StartUtc)),
            ("stop (UTC)", RunFormat.PreciseTime(run.StopUtc)),
            ("duration", RunFormat.Duration(run.Duration)),
            ("end reason", run.EndReason ?? "—"),
            ("events", RunFormat.Count(run.Events)),
            ("missed triggers", RunFormat.Count(run.MissedTriggers)),
            ("dead time", run.DeadTimeFraction is { } dead ? (dead * 100).ToString("0.###", CultureInfo.InvariantCulture) + " %" : "—"),
            ("counters as of", RunFormat.PreciseTime(run.ProgressUtc)),
            ("file", run.FilePath ?? "—"),
            ("file size", run.FileSizeBytes is { } size ? $"{RunFormat.Bytes(size)} ({size} bytes)" : "—"),
            ("file sha256", run.FileSha256 ?? "—"),
            ("software", run.SoftwareVersion),
            ("control process", $"{run.Owner} (started {RunFormat.PreciseTime(run.Owner.ProcessStartUtc)})")));

        var s = run.Settings;
        Heading(console, "beam, collimators, detector");
        console.Write(KeyValues(
            ("beam energy", RunFormat.Number(s.BeamEnergyMeV, "MeV")),
            ("magnet current", RunFormat.Number(s.MagnetCurrentA, "A")),
            ("magnet field", RunFormat.Number(s.MagnetFieldGauss, "G")),
            ("entrance collimator", RunFormat.Collimator(s.EntranceCollimator)),
            ("exit collimator", RunFormat.Collimator(s.ExitCollimator)),
            ("detector", s.Detector ?? "—"),
            ("HV set", RunFormat.Number(s.HvSetVolts, "V")),
            ("HV measured", RunFormat.Number(s.HvMeasuredVolts, "V")),
            ("HV current", RunFormat.Number(s.HvCurrentMicroamps, "µA"))));

        Section(console, "fits", details.Fits, ["t (UTC)", "λ ± Δλ", "interval", "λ₀ (zero fraction)", "χ²/ndf", "p", "converged", "model", "software"],
            f => [RunFormat.PreciseTime(f.TimeUtc), RunFormat.Lambda(f.Lambda, f.LambdaError),
                  f.IntervalLow is { } low && f.IntervalHigh is { } high ? $"[{RunFormat.Number(low)}, {RunFormat.Number(high)}]" : "—",
                  RunFormat.Number(f.LambdaZeroFraction),
                  f.Chi2 is { } chi2 ? $"{RunFormat.Number(chi2)}/{f.Ndf?.ToString() ?? "?"}" : "—",
                  RunFormat.Number(f.PValue), f.Converged ? "yes" : "NO", f.Model, f.SoftwareVersion]);
        Section(console, "alarms", details.Alarms, ["t (UTC)", "severity", "source", "code", "message"],
            a => [RunFormat.PreciseTime(a.TimeUtc), a.Severity, a.Source, a.Code, a.Message]);
        Section(console, "device losses", details.DeviceLosses, ["device", "lost (UTC)", "back (UTC)", "duration", "triggers missed"],
            d => [d.Device, RunFormat.PreciseTime(d.StartUtc), d.EndUtc is null ? "never (run ended)" : RunFormat.PreciseTime(d.EndUtc),
                  d.Duration is { } duration ? duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s" : "—",
                  RunFormat.Count(d.TriggersMissed)]);
        Section(console, "logbook", details.Logbook, ["t (UTC)", "author", "text"],
            e => [RunFormat.PreciseTime(e.TimeUtc), e.Author, e.Text]);

        // Slow control: a run holds thousands of readings; one line per series says what they did.
        var series = details.SlowControl
            .GroupBy(r => (r.Device, r.Quantity, r.Unit))
            .Select(g => (g.Key, Readings: g.ToList()))
            .ToList();
        Section(console, "slow control", series, ["device", "quantity", "readings", "first", "last", "min", "max", "unit"],
            g => [g.Key.Device, g.Key.Quantity, g.Readings.Count.ToString(CultureInfo.InvariantCulture),
                  RunFormat.Number(g.Readings[0].Value), RunFormat.Number(g.Readings[^1].Value),
                  RunFormat.Number(g.Readings.Min(r => r.Value)), RunFormat.Number(g.Readings.Max(r => r.Value)), g.Key.Unit]);

        Heading(console, "configuration");
        console.Write(new Text((run.ConfigurationJson ?? "—") + "\n"));
        Heading(console, "applied digitizer settings");
        console.Write(new Text((run.AppliedSettingsJson ?? "—") + "\n"));
    }

    /// <summary>A bold line (plain in files and pipes) rather than a rule that would span the whole width.</summary>
    private static void Heading(IAnsiConsole console, string title) =>
        console.Write(new Text($"\n{title}\n", new Style(decoration: Decoration.Bold)));

    private static Grid KeyValues(params (string Key, string Value)[] rows)
    {
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().PadRight(2));
        grid.AddColumn();
        foreach (var (key, value) in rows)
            grid.AddRow(new Text(key), new Text(value));   // Text, not markup: stored text is shown as stored
        return grid;
    }

    private static void Section<T>(IAnsiConsole console, string title, IReadOnlyList<T> items, string[] columns, Func<T, string[]> cells)
    {
        Heading(console, $"{title} ({items.Count})");
        if (items.Count == 0)
            return;
        var table = new Table().Border(TableBorder.Simple);
        foreach (string column in columns)
            table.AddColumn(column);
        foreach (var item in items)
            table.AddRow(cells(item).Select(c => (IRenderable)new Text(c)).ToArray());
        console.Write(table);
    }
}
