namespace BeamDAQ.Control.Catalog.Schema;

/// <summary>
/// The catalog schema as its history of forward migrations. Never edit a published step: add the next one.
/// Times are {TIMESTAMP} (UTC, microseconds); JSON is TEXT stored verbatim; run numbers come from run_counter.
/// </summary>
internal static class CatalogMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "runs, run numbers and the logbook",
        [
            // One row; allocation increments it in the same transaction that inserts the run, so a number is
            // used once even when the run's insert is rolled back, and allocators queue on its row lock.
            """
            CREATE TABLE run_counter (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                last_run {BIGINT} NOT NULL
            )
            """,
            "INSERT INTO run_counter (id, last_run) VALUES (1, 0)",
            """
            CREATE TABLE runs (
                run {BIGINT} PRIMARY KEY,
                state TEXT NOT NULL,
                operator TEXT NOT NULL,
                comment TEXT NOT NULL,
                start_utc {TIMESTAMP} NOT NULL,
                stop_utc {TIMESTAMP},
                end_reason TEXT,
                events {BIGINT},
                missed_triggers {BIGINT},
                dead_time_fraction {DOUBLE},
                progress_utc {TIMESTAMP},
                file_path TEXT,
                file_size_bytes {BIGINT},
                file_sha256 TEXT,
                configuration_json TEXT,
                applied_settings_json TEXT,
                software_version TEXT NOT NULL,
                owner_host TEXT NOT NULL,
                owner_pid {BIGINT} NOT NULL,
                owner_process_start_utc {TIMESTAMP}
            )
            """,
            "CREATE INDEX runs_state ON runs (state)",
            """
            CREATE TABLE logbook (
                id {ID},
                t_utc {TIMESTAMP} NOT NULL,
                author TEXT NOT NULL,
                text TEXT NOT NULL,
                run {BIGINT} REFERENCES runs (run)
            )
            """,
            "CREATE INDEX logbook_run ON logbook (run)",
        ]),
        new(2, "beam, magnet, collimator and detector settings per run",
        [
            "ALTER TABLE runs ADD COLUMN beam_energy_mev {DOUBLE}",
            "ALTER TABLE runs ADD COLUMN magnet_current_a {DOUBLE}",
            "ALTER TABLE runs ADD COLUMN magnet_field_gauss {DOUBLE}",
            .. CollimatorColumns("entrance"),
            .. CollimatorColumns("exit"),
            "ALTER TABLE runs ADD COLUMN detector TEXT",
            "ALTER TABLE runs ADD COLUMN hv_set_v {DOUBLE}",
            "ALTER TABLE runs ADD COLUMN hv_measured_v {DOUBLE}",
            "ALTER TABLE runs ADD COLUMN hv_current_ua {DOUBLE}",
        ]),
        new(3, "slow-control series, alarms, device-loss intervals and fit results",
        [
            """
            CREATE TABLE slow_control (
                id {ID},
                run {BIGINT} REFERENCES runs (run),
                t_utc {TIMESTAMP} NOT NULL,
                device TEXT NOT NULL,
                quantity TEXT NOT NULL,
                value {DOUBLE} NOT NULL,
                unit TEXT NOT NULL
            )
            """,
            "CREATE INDEX slow_control_run_t ON slow_control (run, t_utc)",
            """
            CREATE TABLE alarms (
                id {ID},
                run {BIGINT} REFERENCES runs (run),
                t_utc {TIMESTAMP} NOT NULL,
                source TEXT NOT NULL,
                severity TEXT NOT NULL,
                code TEXT NOT NULL,
                message TEXT NOT NULL
            )
            """,
            "CREATE INDEX alarms_run ON alarms (run)",
            """
            CREATE TABLE device_losses (
                id {ID},
                run {BIGINT} NOT NULL REFERENCES runs (run),
                device TEXT NOT NULL,
                start_utc {TIMESTAMP} NOT NULL,
                end_utc {TIMESTAMP},
                duration_s {DOUBLE},
                triggers_missed {BIGINT}
            )
            """,
            "CREATE INDEX device_losses_run ON device_losses (run)",
            """
            CREATE TABLE fits (
                id {ID},
                run {BIGINT} NOT NULL REFERENCES runs (run),
                t_utc {TIMESTAMP} NOT NULL,
                lambda {DOUBLE} NOT NULL,
                lambda_error {DOUBLE},
                interval_low {DOUBLE},
                interval_high {DOUBLE},
                lambda_zero_fraction {DOUBLE},
                chi2 {DOUBLE},
                ndf {BIGINT},
                p_value {DOUBLE},
                converged {BOOL} NOT NULL,
                model TEXT NOT NULL,
                result_json TEXT,
                software_version TEXT NOT NULL
            )
            """,
            "CREATE INDEX fits_run ON fits (run)",
        ]),
    ];

    public static int LatestVersion => All[^1].Version;

    private static IEnumerable<string> CollimatorColumns(string collimator) =>
        new[] { "aperture_x_mm", "aperture_y_mm", "centre_x_mm", "centre_y_mm", "jaw_left_mm", "jaw_right_mm", "jaw_bottom_mm", "jaw_top_mm" }
            .Select(column => $"ALTER TABLE runs ADD COLUMN {collimator}_{column} {{DOUBLE}}");
}
