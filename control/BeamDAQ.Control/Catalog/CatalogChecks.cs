using System.Text.Json;

namespace BeamDAQ.Control.Catalog;

/// <summary>
/// The one place where values are checked before they reach the catalog, so a bad value is refused with its
/// field name, the value and what is allowed, and nothing half-valid is stored.
/// </summary>
internal static class CatalogChecks
{
    public static void Run(long run, string field = "run")
    {
        if (run <= 0)
            throw new ArgumentException($"{field} must be a positive run number, got {run}", field);
    }

    public static void NotBlank(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{field} must not be empty", field);
    }

    public static void NotNull(string? value, string field)
    {
        if (value is null)
            throw new ArgumentException($"{field} must not be null", field);
    }

    public static void Json(string? value, string field)
    {
        if (value is null)
            return;
        try
        {
            using var _ = JsonDocument.Parse(value);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{field} is not valid JSON ({e.Message}); the catalog stores JSON text only", field, e);
        }
    }

    /// <summary>NaN and infinities are refused: SQLite would store NaN as NULL. Use null for "not available".</summary>
    public static void Finite(double? value, string field)
    {
        if (value is { } v && !double.IsFinite(v))
            throw new ArgumentException($"{field} is {v}; only finite numbers are stored (null means not available)", field);
    }

    public static void NonNegative(long? value, string field)
    {
        if (value is < 0)
            throw new ArgumentException($"{field} must not be negative, got {value}", field);
    }

    public static void Fraction(double? value, string field)
    {
        Finite(value, field);
        if (value is < 0 or > 1)
            throw new ArgumentException($"{field} must be a fraction between 0 and 1, got {value}", field);
    }

    public static void Sha256(string? value, string field)
    {
        if (value is null)
            return;
        if (value.Length != 64 || !value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            throw new ArgumentException($"{field} must be a SHA-256 digest as 64 lower-case hex digits, got '{value}'", field);
    }

    public static void Settings(RunSettings? settings)
    {
        if (settings is null)
            return;
        Finite(settings.BeamEnergyMeV, "RunSettings.BeamEnergyMeV");
        Finite(settings.MagnetCurrentA, "RunSettings.MagnetCurrentA");
        Finite(settings.MagnetFieldGauss, "RunSettings.MagnetFieldGauss");
        Collimator(settings.EntranceCollimator, "RunSettings.EntranceCollimator");
        Collimator(settings.ExitCollimator, "RunSettings.ExitCollimator");
        Finite(settings.HvSetVolts, "RunSettings.HvSetVolts");
        Finite(settings.HvMeasuredVolts, "RunSettings.HvMeasuredVolts");
        Finite(settings.HvCurrentMicroamps, "RunSettings.HvCurrentMicroamps");
    }

    private static void Collimator(CollimatorSetting? c, string field)
    {
        if (c is null)
            return;
        Finite(c.ApertureXMm, field + ".ApertureXMm");
        Finite(c.ApertureYMm, field + ".ApertureYMm");
        Finite(c.CentreXMm, field + ".CentreXMm");
        Finite(c.CentreYMm, field + ".CentreYMm");
        Finite(c.JawLeftMm, field + ".JawLeftMm");
        Finite(c.JawRightMm, field + ".JawRightMm");
        Finite(c.JawBottomMm, field + ".JawBottomMm");
        Finite(c.JawTopMm, field + ".JawTopMm");
        if (c.ApertureXMm < 0 || c.ApertureYMm < 0)
            throw new ArgumentException($"{field} apertures must not be negative, got {c.ApertureXMm} x {c.ApertureYMm} mm", field);
    }

    public static void Start(RunStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        NotBlank(start.Operator, "RunStart.Operator");
        NotNull(start.Comment, "RunStart.Comment");
        Json(start.ConfigurationJson, "RunStart.ConfigurationJson");
        Json(start.AppliedSettingsJson, "RunStart.AppliedSettingsJson");
        Settings(start.Settings);
    }

    public static void End(RunEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        NotBlank(end.Reason, "RunEnd.Reason");
        NonNegative(end.Events, "RunEnd.Events");
        NonNegative(end.MissedTriggers, "RunEnd.MissedTriggers");
        Fraction(end.DeadTimeFraction, "RunEnd.DeadTimeFraction");
        NonNegative(end.FileSizeBytes, "RunEnd.FileSizeBytes");
        Sha256(end.FileSha256, "RunEnd.FileSha256");
    }

    public static void Progress(RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        NonNegative(progress.Events, "RunProgress.Events");
        NonNegative(progress.MissedTriggers, "RunProgress.MissedTriggers");
        Fraction(progress.DeadTimeFraction, "RunProgress.DeadTimeFraction");
    }

    public static void Reading(SlowControlReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (reading.Run is { } run)
            Run(run, "SlowControlReading.Run");
        NotBlank(reading.Device, "SlowControlReading.Device");
        NotBlank(reading.Quantity, "SlowControlReading.Quantity");
        NotNull(reading.Unit, "SlowControlReading.Unit");
        Finite(reading.Value, $"SlowControlReading.Value ({reading.Device} {reading.Quantity})");
    }

    public static void Alarm(AlarmRecord alarm)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        if (alarm.Run is { } run)
            Run(run, "AlarmRecord.Run");
        NotBlank(alarm.Source, "AlarmRecord.Source");
        NotBlank(alarm.Severity, "AlarmRecord.Severity");
        NotNull(alarm.Code, "AlarmRecord.Code");
        NotNull(alarm.Message, "AlarmRecord.Message");
    }

    public static void DeviceLoss(DeviceLossInterval loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Run(loss.Run, "DeviceLossInterval.Run");
        NotBlank(loss.Device, "DeviceLossInterval.Device");
        NonNegative(loss.TriggersMissed, "DeviceLossInterval.TriggersMissed");
        if (loss.EndUtc < loss.StartUtc)
            throw new ArgumentException(
                $"DeviceLossInterval.EndUtc {CatalogTime.ToText(loss.EndUtc.Value)} is before its start {CatalogTime.ToText(loss.StartUtc)}", nameof(loss));
    }

    public static void Logbook(LogbookEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Run is { } run)
            Run(run, "LogbookEntry.Run");
        NotBlank(entry.Author, "LogbookEntry.Author");
        NotBlank(entry.Text, "LogbookEntry.Text");
    }

    public static void Fit(FitRecord fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        Run(fit.Run, "FitRecord.Run");
        Finite(fit.Lambda, "FitRecord.Lambda");
        Finite(fit.LambdaError, "FitRecord.LambdaError");
        Finite(fit.IntervalLow, "FitRecord.IntervalLow");
        Finite(fit.IntervalHigh, "FitRecord.IntervalHigh");
        Finite(fit.LambdaZeroFraction, "FitRecord.LambdaZeroFraction");
        Finite(fit.Chi2, "FitRecord.Chi2");
        NonNegative(fit.Ndf, "FitRecord.Ndf");
        Finite(fit.PValue, "FitRecord.PValue");
        NotBlank(fit.Model, "FitRecord.Model");
        Json(fit.ResultJson, "FitRecord.ResultJson");
        NotBlank(fit.SoftwareVersion, "FitRecord.SoftwareVersion");
    }
}
