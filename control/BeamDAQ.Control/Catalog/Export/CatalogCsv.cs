using System.Globalization;

namespace BeamDAQ.Control.Catalog.Export;

/// <summary>
/// The catalog as CSV (RFC 4180: comma-separated, fields with a comma, quote or line break in double quotes,
/// quotes doubled), one table per file: a row per run, or the fits, alarms, device losses, logbook or slow-control
/// rows. Numbers in invariant culture with round-trip precision, times as ISO 8601 UTC, an empty field for null.
/// Text is written exactly as stored.
/// </summary>
public static class CatalogCsv
{
    public static IReadOnlyList<string> Tables { get; } = ["runs", "fits", "alarms", "device-losses", "logbook", "slow-control"];

    public static IReadOnlyList<string> RunColumns { get; } =
    [
        "run", "state", "operator", "comment", "start_utc", "stop_utc", "duration_s", "end_reason", "events",
        "missed_triggers", "dead_time_fraction", "progress_utc", "file_path", "file_size_bytes", "file_sha256",
        "software_version", "owner_host", "owner_pid", "owner_process_start_utc",
        "beam_energy_mev", "magnet_current_a", "magnet_field_gauss",
        .. CollimatorColumns("entrance"), .. CollimatorColumns("exit"),
        "detector", "hv_set_v", "hv_measured_v", "hv_current_ua",
        "latest_lambda", "latest_lambda_error", "configuration_json", "applied_settings_json",
    ];

    public static void Write(IRunCatalog catalog, string table, TextWriter output)
    {
        switch (table)
        {
            case "runs": WriteRuns(catalog, output); break;
            case "fits": WriteFits(catalog, output); break;
            case "alarms": WriteAlarms(catalog, output); break;
            case "device-losses": WriteDeviceLosses(catalog, output); break;
            case "logbook": WriteLogbook(catalog, output); break;
            case "slow-control": WriteSlowControl(catalog, output); break;
            default:
                throw new ArgumentException($"there is no table '{table}' to export; tables are {string.Join(", ", Tables)}", nameof(table));
        }
    }

    public static void WriteRuns(IRunCatalog catalog, TextWriter output)
    {
        WriteRow(output, RunColumns);
        foreach (var summary in catalog.ListRuns())
        {
            var run = catalog.GetRun(summary.Run);
            var s = run.Settings;
            WriteRow(output,
            [
                F(run.Run), RunStateText.ToText(run.State), run.Operator, run.Comment, F(run.StartUtc), F(run.StopUtc),
                F(run.Duration?.TotalSeconds), run.EndReason, F(run.Events), F(run.MissedTriggers), F(run.DeadTimeFraction),
                F(run.ProgressUtc), run.FilePath, F(run.FileSizeBytes), run.FileSha256,
                run.SoftwareVersion, run.Owner.Host, F(run.Owner.ProcessId), F(run.Owner.ProcessStartUtc),
                F(s.BeamEnergyMeV), F(s.MagnetCurrentA), F(s.MagnetFieldGauss),
                .. Collimator(s.EntranceCollimator), .. Collimator(s.ExitCollimator),
                s.Detector, F(s.HvSetVolts), F(s.HvMeasuredVolts), F(s.HvCurrentMicroamps),
                F(summary.Lambda), F(summary.LambdaError), run.ConfigurationJson, run.AppliedSettingsJson,
            ]);
        }
    }

    private static void WriteFits(IRunCatalog catalog, TextWriter output)
    {
        WriteRow(output, ["id", "run", "t_utc", "lambda", "lambda_error", "interval_low", "interval_high", "lambda_zero_fraction",
            "chi2", "ndf", "p_value", "converged", "model", "software_version", "result_json"]);
        foreach (var run in catalog.ListRuns())
            foreach (var f in catalog.GetFits(run.Run))
                WriteRow(output, [F(f.Id), F(f.Run), F(f.TimeUtc), F(f.Lambda), F(f.LambdaError), F(f.IntervalLow), F(f.IntervalHigh),
                    F(f.LambdaZeroFraction), F(f.Chi2), F(f.Ndf), F(f.PValue), f.Converged ? "true" : "false", f.Model, f.SoftwareVersion, f.ResultJson]);
    }

    private static void WriteAlarms(IRunCatalog catalog, TextWriter output)
    {
        WriteRow(output, ["id", "run", "t_utc", "source", "severity", "code", "message"]);
        var alarms = catalog.ListRuns().SelectMany(r => catalog.GetAlarms(r.Run)).Concat(catalog.GetAlarmsOutsideRuns())
            .OrderBy(a => a.TimeUtc).ThenBy(a => a.Id);
        foreach (var a in alarms)
            WriteRow(output, [F(a.Id), F(a.Run), F(a.TimeUtc), a.Source, a.Severity, a.Code, a.Message]);
    }

    private static void WriteDeviceLosses(IRunCatalog catalog, TextWriter output)
    {
        WriteRow(output, ["id", "run", "device", "start_utc", "end_utc", "duration_s", "triggers_missed"]);
        foreach (var run in catalog.ListRuns())
            foreach (var d in catalog.GetDeviceLosses(run.Run))
                WriteRow(output, [F(d.Id), F(d.Run), d.Device, F(d.StartUtc), F(d.EndUtc), F(d.Duration?.TotalSeconds), F(d.TriggersMissed)]);
    }

    private static void WriteLogbook(IRunCatalog catalog, TextWriter output)
    {
        WriteRow(output, ["id", "t_utc", "author", "run", "text"]);
        foreach (var e in catalog.GetLogbook())
            WriteRow(output, [F(e.Id), F(e.TimeUtc), e.Author, F(e.Run), e.Text]);
    }

    private static void WriteSlowControl(IRunCatalog catalog, TextWriter output)
    {
        WriteRow(output, ["id", "run", "t_utc", "device", "quantity", "value", "unit"]);
        var readings = catalog.ListRuns().SelectMany(r => catalog.GetSlowControl(r.Run)).Concat(catalog.GetSlowControlOutsideRuns());
        foreach (var r in readings)
            WriteRow(output, [F(r.Id), F(r.Run), F(r.TimeUtc), r.Device, r.Quantity, F(r.Value), r.Unit]);
    }

    /// <summary>One CSV record; line breaks inside quoted fields are kept, records end with CRLF (RFC 4180).</summary>
    public static void WriteRow(TextWriter output, IReadOnlyList<string?> fields)
    {
        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0)
                output.Write(',');
            output.Write(Quote(fields[i]));
        }
        output.Write("\r\n");
    }

    public static string Quote(string? field)
    {
        if (string.IsNullOrEmpty(field))
            return "";
        bool needsQuotes = field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || field[0] == ' ' || field[^1] == ' ';
        return needsQuotes ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    private static IEnumerable<string> CollimatorColumns(string prefix) =>
        new[] { "aperture_x_mm", "aperture_y_mm", "centre_x_mm", "centre_y_mm", "jaw_left_mm", "jaw_right_mm", "jaw_bottom_mm", "jaw_top_mm" }
            .Select(c => $"{prefix}_{c}");

    private static string?[] Collimator(CollimatorSetting? c) =>
        c is null
            ? new string?[8]
            : [F(c.ApertureXMm), F(c.ApertureYMm), F(c.CentreXMm), F(c.CentreYMm), F(c.JawLeftMm), F(c.JawRightMm), F(c.JawBottomMm), F(c.JawTopMm)];

    private static string? F(long? value) => value?.ToString(CultureInfo.InvariantCulture);
    private static string? F(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);
    private static string? F(DateTimeOffset? value) => value is { } t ? CatalogTime.ToText(t) : null;
}
