using System.Globalization;
using System.Text.Json;
using BeamDAQ.Control.Catalog;

namespace BeamDAQ.Control.Tests.Catalog.Support;

/// <summary>Field-by-field comparison of exported JSON and CSV with what the catalog stored.</summary>
internal static class ExportAssert
{
    public static void RunMatches(RunDetails expected, JsonElement json)
    {
        var run = expected.Run;
        Assert.Equal(run.Run, json.GetProperty("run").GetInt64());
        Assert.Equal(run.State.ToString().ToLowerInvariant(), json.GetProperty("state").GetString());
        Assert.Equal(run.Operator, json.GetProperty("operator").GetString());
        Assert.Equal(run.Comment, json.GetProperty("comment").GetString());
        Assert.Equal(run.StartUtc, Time(json.GetProperty("start_utc")));
        Assert.Equal(run.StopUtc, Time(json.GetProperty("stop_utc")));
        Assert.Equal(run.EndReason, json.GetProperty("end_reason").GetString());
        Assert.Equal(run.Events, Int64(json.GetProperty("events")));
        Assert.Equal(run.MissedTriggers, Int64(json.GetProperty("missed_triggers")));
        Assert.Equal(run.DeadTimeFraction, Double(json.GetProperty("dead_time_fraction")));
        Assert.Equal(run.ProgressUtc, Time(json.GetProperty("progress_utc")));
        var file = json.GetProperty("file");
        Assert.Equal(run.FilePath, file.GetProperty("path").GetString());
        Assert.Equal(run.FileSizeBytes, Int64(file.GetProperty("size_bytes")));
        Assert.Equal(run.FileSha256, file.GetProperty("sha256").GetString());
        Assert.Equal(run.SoftwareVersion, json.GetProperty("software_version").GetString());
        var owner = json.GetProperty("owner");
        Assert.Equal(run.Owner, new RunOwner(owner.GetProperty("host").GetString()!, owner.GetProperty("pid").GetInt64(), Time(owner.GetProperty("process_start_utc"))));

        var s = run.Settings;
        var beam = json.GetProperty("beam");
        Assert.Equal(s.BeamEnergyMeV, Double(beam.GetProperty("energy_mev")));
        Assert.Equal(s.MagnetCurrentA, Double(beam.GetProperty("magnet_current_a")));
        Assert.Equal(s.MagnetFieldGauss, Double(beam.GetProperty("magnet_field_gauss")));
        Assert.Equal(s.EntranceCollimator, Collimator(json.GetProperty("collimators").GetProperty("entrance")));
        Assert.Equal(s.ExitCollimator, Collimator(json.GetProperty("collimators").GetProperty("exit")));
        var detector = json.GetProperty("detector");
        Assert.Equal(s.Detector, detector.GetProperty("name").GetString());
        Assert.Equal(s.HvSetVolts, Double(detector.GetProperty("hv_set_v")));
        Assert.Equal(s.HvMeasuredVolts, Double(detector.GetProperty("hv_measured_v")));
        Assert.Equal(s.HvCurrentMicroamps, Double(detector.GetProperty("hv_current_ua")));
        Assert.Equal(run.ConfigurationJson, RawOrNull(json.GetProperty("configuration")));     // byte for byte
        Assert.Equal(run.AppliedSettingsJson, RawOrNull(json.GetProperty("applied_settings")));

        Assert.Equal(expected.Fits, json.GetProperty("fits").EnumerateArray().Select(f => new FitRecord
        {
            Id = f.GetProperty("id").GetInt64(),
            Run = run.Run,
            TimeUtc = Time(f.GetProperty("t_utc"))!.Value,
            Lambda = f.GetProperty("lambda").GetDouble(),
            LambdaError = Double(f.GetProperty("lambda_error")),
            IntervalLow = Double(f.GetProperty("interval_low")),
            IntervalHigh = Double(f.GetProperty("interval_high")),
            LambdaZeroFraction = Double(f.GetProperty("lambda_zero_fraction")),
            Chi2 = Double(f.GetProperty("chi2")),
            Ndf = Int64(f.GetProperty("ndf")),
            PValue = Double(f.GetProperty("p_value")),
            Converged = f.GetProperty("converged").GetBoolean(),
            Model = f.GetProperty("model").GetString()!,
            ResultJson = RawOrNull(f.GetProperty("result")),
            SoftwareVersion = f.GetProperty("software_version").GetString()!,
        }));
        Assert.Equal(expected.Alarms, json.GetProperty("alarms").EnumerateArray().Select(a => new AlarmRecord(run.Run,
            Time(a.GetProperty("t_utc"))!.Value, a.GetProperty("source").GetString()!, a.GetProperty("severity").GetString()!,
            a.GetProperty("code").GetString()!, a.GetProperty("message").GetString()!) { Id = a.GetProperty("id").GetInt64() }));
        Assert.Equal(expected.DeviceLosses, json.GetProperty("device_losses").EnumerateArray().Select(d => new DeviceLossInterval(run.Run,
            d.GetProperty("device").GetString()!, Time(d.GetProperty("start_utc"))!.Value, Time(d.GetProperty("end_utc")),
            Int64(d.GetProperty("triggers_missed"))) { Id = d.GetProperty("id").GetInt64() }));
        Assert.Equal(expected.Logbook, json.GetProperty("logbook").EnumerateArray().Select(e => new LogbookEntry(
            Time(e.GetProperty("t_utc"))!.Value, e.GetProperty("author").GetString()!, e.GetProperty("text").GetString()!,
            Int64(e.GetProperty("run"))) { Id = e.GetProperty("id").GetInt64() }));
        Assert.Equal(expected.SlowControl.Select(r => r with { Id = 0 }), json.GetProperty("slow_control").EnumerateArray().Select(r =>
            new SlowControlReading(run.Run, Time(r.GetProperty("t_utc"))!.Value, r.GetProperty("device").GetString()!,
                r.GetProperty("quantity").GetString()!, r.GetProperty("value").GetDouble(), r.GetProperty("unit").GetString()!)));
    }

    public static void CsvRowMatches(RunRecord run, FitRecord? latestFit, IReadOnlyDictionary<string, string> row)
    {
        Assert.Equal(run.Run.ToString(CultureInfo.InvariantCulture), row["run"]);
        Assert.Equal(run.State.ToString().ToLowerInvariant(), row["state"]);
        Assert.Equal(run.Operator, row["operator"]);
        Assert.Equal(run.Comment, row["comment"]);
        Assert.Equal(run.StartUtc, Time(row["start_utc"]));
        Assert.Equal(run.StopUtc, Time(row["stop_utc"]));
        Assert.Equal(run.EndReason ?? "", row["end_reason"]);
        Assert.Equal(run.Events, Int64(row["events"]));
        Assert.Equal(run.MissedTriggers, Int64(row["missed_triggers"]));
        Assert.Equal(run.DeadTimeFraction, Double(row["dead_time_fraction"]));
        Assert.Equal(run.ProgressUtc, Time(row["progress_utc"]));
        Assert.Equal(run.FilePath ?? "", row["file_path"]);
        Assert.Equal(run.FileSizeBytes, Int64(row["file_size_bytes"]));
        Assert.Equal(run.FileSha256 ?? "", row["file_sha256"]);
        Assert.Equal(run.SoftwareVersion, row["software_version"]);
        Assert.Equal(run.Owner, new RunOwner(row["owner_host"], long.Parse(row["owner_pid"], CultureInfo.InvariantCulture), Time(row["owner_process_start_utc"])));
        var s = run.Settings;
        Assert.Equal(s.BeamEnergyMeV, Double(row["beam_energy_mev"]));
        Assert.Equal(s.MagnetCurrentA, Double(row["magnet_current_a"]));
        Assert.Equal(s.MagnetFieldGauss, Double(row["magnet_field_gauss"]));
        Assert.Equal(s.EntranceCollimator, Collimator(row, "entrance"));
        Assert.Equal(s.ExitCollimator, Collimator(row, "exit"));
        Assert.Equal(s.Detector ?? "", row["detector"]);
        Assert.Equal(s.HvSetVolts, Double(row["hv_set_v"]));
        Assert.Equal(s.HvMeasuredVolts, Double(row["hv_measured_v"]));
        Assert.Equal(s.HvCurrentMicroamps, Double(row["hv_current_ua"]));
        Assert.Equal(latestFit?.Lambda, Double(row["latest_lambda"]));
        Assert.Equal(latestFit?.LambdaError, Double(row["latest_lambda_error"]));
        Assert.Equal(run.ConfigurationJson ?? "", row["configuration_json"]);
        Assert.Equal(run.AppliedSettingsJson ?? "", row["applied_settings_json"]);
    }

    private static CollimatorSetting? Collimator(JsonElement c) =>
        c.ValueKind == JsonValueKind.Null ? null : new CollimatorSetting(
            c.GetProperty("aperture_x_mm").GetDouble(), c.GetProperty("aperture_y_mm").GetDouble(),
            c.GetProperty("centre_x_mm").GetDouble(), c.GetProperty("centre_y_mm").GetDouble(),
            Double(c.GetProperty("jaw_left_mm")), Double(c.GetProperty("jaw_right_mm")),
            Double(c.GetProperty("jaw_bottom_mm")), Double(c.GetProperty("jaw_top_mm")));

    private static CollimatorSetting? Collimator(IReadOnlyDictionary<string, string> row, string prefix) =>
        Double(row[$"{prefix}_aperture_x_mm"]) is not { } x ? null : new CollimatorSetting(
            x, Double(row[$"{prefix}_aperture_y_mm"])!.Value, Double(row[$"{prefix}_centre_x_mm"])!.Value, Double(row[$"{prefix}_centre_y_mm"])!.Value,
            Double(row[$"{prefix}_jaw_left_mm"]), Double(row[$"{prefix}_jaw_right_mm"]),
            Double(row[$"{prefix}_jaw_bottom_mm"]), Double(row[$"{prefix}_jaw_top_mm"]));

    private static string? RawOrNull(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetRawText();
    private static DateTimeOffset? Time(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : CatalogTime.ParseText(e.GetString()!);
    private static long? Int64(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt64();
    private static double? Double(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();
    private static DateTimeOffset? Time(string s) => s.Length == 0 ? null : CatalogTime.ParseText(s);
    private static long? Int64(string s) => s.Length == 0 ? null : long.Parse(s, CultureInfo.InvariantCulture);
    private static double? Double(string s) => s.Length == 0 ? null : double.Parse(s, CultureInfo.InvariantCulture);
}
