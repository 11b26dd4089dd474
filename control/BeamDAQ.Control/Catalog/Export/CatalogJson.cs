using System.Text.Encodings.Web;
using System.Text.Json;

namespace BeamDAQ.Control.Catalog.Export;

/// <summary>
/// The catalog as JSON: one run (<c>runs show N --json</c>), the run list, or the whole catalog
/// (<c>runs export --format json</c>). Names are snake_case with units in them; times are ISO 8601 UTC with
/// microseconds; stored JSON (configuration, applied settings, fit results) is embedded as JSON, byte for byte.
/// </summary>
public static class CatalogJson
{
    /// <summary>Indented, and non-ASCII text (λ, names) written as itself rather than \u escapes.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The whole catalog: a header, every run with all it holds, and what is not attached to a run.</summary>
    public static void WriteCatalog(IRunCatalog catalog, Stream output, DateTimeOffset exportedUtc)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartObject("catalog");
        writer.WriteString("location", catalog.Location);
        writer.WriteString("backend", BackendName(catalog.Backend));
        writer.WriteNumber("schema_version", catalog.SchemaVersion);
        writer.WriteString("exported_utc", CatalogTime.ToText(exportedUtc));
        writer.WriteString("software", Protocol.Hosting.SoftwareVersion.Current);
        writer.WriteEndObject();
        WriteArray(writer, "runs", catalog.ListRuns(), (w, summary) =>
        {
            WriteRunDetailsObject(w, catalog.GetRunDetails(summary.Run));
            w.Flush();   // one run at a time: a large catalog never sits in memory as a whole
        });
        WriteArray(writer, "logbook", catalog.GetLogbook().Where(e => e.Run is null), WriteLogbookEntry);
        WriteArray(writer, "alarms", catalog.GetAlarmsOutsideRuns(), WriteAlarm);
        WriteArray(writer, "slow_control", catalog.GetSlowControlOutsideRuns(), WriteReading);
        writer.WriteEndObject();
    }

    /// <summary>One run as a single JSON document.</summary>
    public static void WriteRunDetails(RunDetails details, Stream output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        WriteRunDetailsObject(writer, details);
    }

    /// <summary>The run list as a single JSON document: {"runs": [...]}.</summary>
    public static void WriteRunList(IReadOnlyList<RunSummary> runs, Stream output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        WriteArray(writer, "runs", runs, WriteRunSummary);
        writer.WriteEndObject();
    }

    public static string BackendName(CatalogBackend backend) => backend switch
    {
        CatalogBackend.Sqlite => "sqlite",
        CatalogBackend.PostgreSql => "postgresql",
        _ => backend.ToString(),
    };

    private static void WriteRunDetailsObject(Utf8JsonWriter writer, RunDetails details)
    {
        var run = details.Run;
        writer.WriteStartObject();
        writer.WriteNumber("run", run.Run);
        writer.WriteString("state", RunStateText.ToText(run.State));
        writer.WriteString("operator", run.Operator);
        writer.WriteString("comment", run.Comment);
        WriteTime(writer, "start_utc", run.StartUtc);
        WriteTime(writer, "stop_utc", run.StopUtc);
        WriteNumber(writer, "duration_s", run.Duration?.TotalSeconds);
        WriteString(writer, "end_reason", run.EndReason);
        WriteNumber(writer, "events", run.Events);
        WriteNumber(writer, "missed_triggers", run.MissedTriggers);
        WriteNumber(writer, "dead_time_fraction", run.DeadTimeFraction);
        WriteTime(writer, "progress_utc", run.ProgressUtc);
        writer.WriteStartObject("file");
        WriteString(writer, "path", run.FilePath);
        WriteNumber(writer, "size_bytes", run.FileSizeBytes);
        WriteString(writer, "sha256", run.FileSha256);
        writer.WriteEndObject();
        writer.WriteString("software_version", run.SoftwareVersion);
        writer.WriteStartObject("owner");
        writer.WriteString("host", run.Owner.Host);
        writer.WriteNumber("pid", run.Owner.ProcessId);
        WriteTime(writer, "process_start_utc", run.Owner.ProcessStartUtc);
        writer.WriteEndObject();

        var s = run.Settings;
        writer.WriteStartObject("beam");
        WriteNumber(writer, "energy_mev", s.BeamEnergyMeV);
        WriteNumber(writer, "magnet_current_a", s.MagnetCurrentA);
        WriteNumber(writer, "magnet_field_gauss", s.MagnetFieldGauss);
        writer.WriteEndObject();
        writer.WriteStartObject("collimators");
        WriteCollimator(writer, "entrance", s.EntranceCollimator);
        WriteCollimator(writer, "exit", s.ExitCollimator);
        writer.WriteEndObject();
        writer.WriteStartObject("detector");
        WriteString(writer, "name", s.Detector);
        WriteNumber(writer, "hv_set_v", s.HvSetVolts);
        WriteNumber(writer, "hv_measured_v", s.HvMeasuredVolts);
        WriteNumber(writer, "hv_current_ua", s.HvCurrentMicroamps);
        writer.WriteEndObject();
        WriteRawJson(writer, "configuration", run.ConfigurationJson);
        WriteRawJson(writer, "applied_settings", run.AppliedSettingsJson);

        WriteArray(writer, "fits", details.Fits, WriteFit);
        WriteArray(writer, "alarms", details.Alarms, WriteAlarm);
        WriteArray(writer, "device_losses", details.DeviceLosses, WriteDeviceLoss);
        WriteArray(writer, "logbook", details.Logbook, WriteLogbookEntry);
        WriteArray(writer, "slow_control", details.SlowControl, WriteReading);
        writer.WriteEndObject();
    }

    private static void WriteRunSummary(Utf8JsonWriter writer, RunSummary run)
    {
        writer.WriteStartObject();
        writer.WriteNumber("run", run.Run);
        writer.WriteString("state", RunStateText.ToText(run.State));
        writer.WriteString("operator", run.Operator);
        writer.WriteString("comment", run.Comment);
        WriteTime(writer, "start_utc", run.StartUtc);
        WriteTime(writer, "stop_utc", run.StopUtc);
        WriteNumber(writer, "duration_s", run.Duration?.TotalSeconds);
        WriteNumber(writer, "events", run.Events);
        WriteNumber(writer, "missed_triggers", run.MissedTriggers);
        WriteNumber(writer, "lambda", run.Lambda);
        WriteNumber(writer, "lambda_error", run.LambdaError);
        WriteCollimator(writer, "exit_collimator", run.ExitCollimator);
        writer.WriteEndObject();
    }

    private static void WriteFit(Utf8JsonWriter writer, FitRecord fit)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", fit.Id);
        WriteTime(writer, "t_utc", fit.TimeUtc);
        writer.WriteNumber("lambda", fit.Lambda);
        WriteNumber(writer, "lambda_error", fit.LambdaError);
        WriteNumber(writer, "interval_low", fit.IntervalLow);
        WriteNumber(writer, "interval_high", fit.IntervalHigh);
        WriteNumber(writer, "lambda_zero_fraction", fit.LambdaZeroFraction);
        WriteNumber(writer, "chi2", fit.Chi2);
        WriteNumber(writer, "ndf", fit.Ndf);
        WriteNumber(writer, "p_value", fit.PValue);
        writer.WriteBoolean("converged", fit.Converged);
        writer.WriteString("model", fit.Model);
        writer.WriteString("software_version", fit.SoftwareVersion);
        WriteRawJson(writer, "result", fit.ResultJson);
        writer.WriteEndObject();
    }

    private static void WriteDeviceLoss(Utf8JsonWriter writer, DeviceLossInterval loss)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", loss.Id);
        writer.WriteString("device", loss.Device);
        WriteTime(writer, "start_utc", loss.StartUtc);
        WriteTime(writer, "end_utc", loss.EndUtc);
        WriteNumber(writer, "duration_s", loss.Duration?.TotalSeconds);
        WriteNumber(writer, "triggers_missed", loss.TriggersMissed);
        writer.WriteEndObject();
    }

    private static void WriteAlarm(Utf8JsonWriter writer, AlarmRecord alarm)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", alarm.Id);
        WriteTime(writer, "t_utc", alarm.TimeUtc);
        writer.WriteString("source", alarm.Source);
        writer.WriteString("severity", alarm.Severity);
        writer.WriteString("code", alarm.Code);
        writer.WriteString("message", alarm.Message);
        writer.WriteEndObject();
    }

    private static void WriteLogbookEntry(Utf8JsonWriter writer, LogbookEntry entry)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", entry.Id);
        WriteTime(writer, "t_utc", entry.TimeUtc);
        writer.WriteString("author", entry.Author);
        writer.WriteString("text", entry.Text);
        WriteNumber(writer, "run", entry.Run);
        writer.WriteEndObject();
    }

    private static void WriteReading(Utf8JsonWriter writer, SlowControlReading reading)
    {
        writer.WriteStartObject();
        WriteTime(writer, "t_utc", reading.TimeUtc);
        writer.WriteString("device", reading.Device);
        writer.WriteString("quantity", reading.Quantity);
        writer.WriteNumber("value", reading.Value);
        writer.WriteString("unit", reading.Unit);
        writer.WriteEndObject();
    }

    private static void WriteCollimator(Utf8JsonWriter writer, string name, CollimatorSetting? c)
    {
        if (c is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartObject(name);
        writer.WriteNumber("aperture_x_mm", c.ApertureXMm);
        writer.WriteNumber("aperture_y_mm", c.ApertureYMm);
        writer.WriteNumber("centre_x_mm", c.CentreXMm);
        writer.WriteNumber("centre_y_mm", c.CentreYMm);
        WriteNumber(writer, "jaw_left_mm", c.JawLeftMm);
        WriteNumber(writer, "jaw_right_mm", c.JawRightMm);
        WriteNumber(writer, "jaw_bottom_mm", c.JawBottomMm);
        WriteNumber(writer, "jaw_top_mm", c.JawTopMm);
        writer.WriteEndObject();
    }

    /// <summary>A named array of <paramref name="items"/>, each written by <paramref name="writeItem"/>.</summary>
    private static void WriteArray<T>(Utf8JsonWriter writer, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeItem)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
            writeItem(writer, item);
        writer.WriteEndArray();
    }

    private static void WriteRawJson(Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null)
            writer.WriteNullValue();
        else
            writer.WriteRawValue(json, skipInputValidation: false);   // validated when stored; embedded verbatim
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } t)
            writer.WriteString(name, CatalogTime.ToText(t));
        else
            writer.WriteNull(name);
    }

    private static void WriteString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
            writer.WriteNull(name);
        else
            writer.WriteString(name, value);
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v)
            writer.WriteNumber(name, v);
        else
            writer.WriteNull(name);
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
            writer.WriteNumber(name, v);
        else
            writer.WriteNull(name);
    }
}
