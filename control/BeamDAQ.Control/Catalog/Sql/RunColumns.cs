namespace BeamDAQ.Control.Catalog.Sql;

/// <summary>The <c>runs</c> table's columns and how a row becomes a <see cref="RunRecord"/>.</summary>
internal static class RunColumns
{
    private static readonly string[] CollimatorFields =
        ["aperture_x_mm", "aperture_y_mm", "centre_x_mm", "centre_y_mm", "jaw_left_mm", "jaw_right_mm", "jaw_bottom_mm", "jaw_top_mm"];

    /// <summary>The settings columns (schema version 2) with the value each takes from <see cref="RunSettings"/>.</summary>
    public static IReadOnlyList<(string Column, Func<RunSettings, object?> Value)> Settings { get; } =
    [
        ("beam_energy_mev", s => s.BeamEnergyMeV),
        ("magnet_current_a", s => s.MagnetCurrentA),
        ("magnet_field_gauss", s => s.MagnetFieldGauss),
        .. Collimator("entrance", s => s.EntranceCollimator),
        .. Collimator("exit", s => s.ExitCollimator),
        ("detector", s => s.Detector),
        ("hv_set_v", s => s.HvSetVolts),
        ("hv_measured_v", s => s.HvMeasuredVolts),
        ("hv_current_ua", s => s.HvCurrentMicroamps),
    ];

    public static string SelectList { get; } = string.Join(", ",
        new[]
        {
            "run", "state", "operator", "comment", "start_utc", "stop_utc", "end_reason", "events", "missed_triggers",
            "dead_time_fraction", "progress_utc", "file_path", "file_size_bytes", "file_sha256", "configuration_json",
            "applied_settings_json", "software_version", "owner_host", "owner_pid", "owner_process_start_utc",
        }.Concat(Settings.Select(s => s.Column)));

    public static RunRecord Read(Row row)
    {
        long run = row.Int64("run");
        return new RunRecord
        {
            Run = run,
            State = RunStateText.Parse(row.String("state"), run),
            Operator = row.String("operator"),
            Comment = row.String("comment"),
            StartUtc = row.Time("start_utc"),
            StopUtc = row.NullableTime("stop_utc"),
            EndReason = row.NullableString("end_reason"),
            Events = row.NullableInt64("events"),
            MissedTriggers = row.NullableInt64("missed_triggers"),
            DeadTimeFraction = row.NullableDouble("dead_time_fraction"),
            ProgressUtc = row.NullableTime("progress_utc"),
            FilePath = row.NullableString("file_path"),
            FileSizeBytes = row.NullableInt64("file_size_bytes"),
            FileSha256 = row.NullableString("file_sha256"),
            ConfigurationJson = row.NullableString("configuration_json"),
            AppliedSettingsJson = row.NullableString("applied_settings_json"),
            SoftwareVersion = row.String("software_version"),
            Owner = new RunOwner(row.String("owner_host"), row.Int64("owner_pid"), row.NullableTime("owner_process_start_utc")),
            Settings = ReadSettings(row),
        };
    }

    public static RunSettings ReadSettings(Row row) => new()
    {
        BeamEnergyMeV = row.NullableDouble("beam_energy_mev"),
        MagnetCurrentA = row.NullableDouble("magnet_current_a"),
        MagnetFieldGauss = row.NullableDouble("magnet_field_gauss"),
        EntranceCollimator = ReadCollimator(row, "entrance"),
        ExitCollimator = ReadCollimator(row, "exit"),
        Detector = row.NullableString("detector"),
        HvSetVolts = row.NullableDouble("hv_set_v"),
        HvMeasuredVolts = row.NullableDouble("hv_measured_v"),
        HvCurrentMicroamps = row.NullableDouble("hv_current_ua"),
    };

    public static CollimatorSetting? ReadCollimator(Row row, string prefix)
    {
        if (row.NullableDouble($"{prefix}_aperture_x_mm") is not { } apertureX)
            return null;
        return new CollimatorSetting(
            apertureX,
            row.Double($"{prefix}_aperture_y_mm"),
            row.Double($"{prefix}_centre_x_mm"),
            row.Double($"{prefix}_centre_y_mm"),
            row.NullableDouble($"{prefix}_jaw_left_mm"),
            row.NullableDouble($"{prefix}_jaw_right_mm"),
            row.NullableDouble($"{prefix}_jaw_bottom_mm"),
            row.NullableDouble($"{prefix}_jaw_top_mm"));
    }

    private static IEnumerable<(string, Func<RunSettings, object?>)> Collimator(string prefix, Func<RunSettings, CollimatorSetting?> select)
    {
        Func<CollimatorSetting, object?>[] values =
        [
            c => c.ApertureXMm, c => c.ApertureYMm, c => c.CentreXMm, c => c.CentreYMm,
            c => c.JawLeftMm, c => c.JawRightMm, c => c.JawBottomMm, c => c.JawTopMm,
        ];
        return CollimatorFields.Zip(values, (field, value) =>
            ($"{prefix}_{field}", (Func<RunSettings, object?>)(s => select(s) is { } c ? value(c) : null)));
    }
}
