using System.Data.Common;

namespace BeamDAQ.Control.Catalog.Sql;

// What happens during and around runs: slow-control readings, alarms, device losses, logbook entries, fits.
// These may be added to a closed run too (a final fit arrives after the stop; a logbook note comes days later).
internal sealed partial class SqlRunCatalog
{
    public int AddSlowControl(IReadOnlyCollection<SlowControlReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        foreach (var reading in readings)
            CatalogChecks.Reading(reading);
        if (readings.Count == 0)
            return 0;
        lock (_gate)
            return InWriteTransaction((connection, transaction) =>
            {
                foreach (long attachedTo in readings.Where(r => r.Run is not null).Select(r => r.Run!.Value).Distinct())
                    RequireExists(connection, transaction, attachedTo);
                using var command = Command(connection, transaction, """
                    INSERT INTO slow_control (run, t_utc, device, quantity, value, unit)
                    VALUES (@run, @t, @device, @quantity, @value, @unit)
                    """);
                var run = Parameter(command, "@run");
                var time = Parameter(command, "@t");
                var device = Parameter(command, "@device");
                var quantity = Parameter(command, "@quantity");
                var value = Parameter(command, "@value");
                var unit = Parameter(command, "@unit");
                foreach (var reading in readings)
                {
                    run.Value = reading.Run is { } r ? r : DBNull.Value;
                    time.Value = _dialect.TimestampValue(reading.TimeUtc);
                    device.Value = reading.Device;
                    quantity.Value = reading.Quantity;
                    value.Value = reading.Value;
                    unit.Value = reading.Unit;
                    command.ExecuteNonQuery();
                }
                return readings.Count;
            });
    }

    public long AddAlarm(AlarmRecord alarm)
    {
        CatalogChecks.Alarm(alarm);
        lock (_gate)
            return InWriteTransaction((connection, transaction) =>
            {
                if (alarm.Run is { } run)
                    RequireExists(connection, transaction, run);
                using var command = Command(connection, transaction, """
                    INSERT INTO alarms (run, t_utc, source, severity, code, message)
                    VALUES (@run, @t, @source, @severity, @code, @message) RETURNING id
                    """);
                command.AddParameter("@run", alarm.Run);
                AddTime(command, "@t", alarm.TimeUtc);
                command.AddParameter("@source", alarm.Source);
                command.AddParameter("@severity", alarm.Severity);
                command.AddParameter("@code", alarm.Code);
                command.AddParameter("@message", alarm.Message);
                return Convert.ToInt64(command.ExecuteScalar());
            });
    }

    public long AddDeviceLoss(DeviceLossInterval interval)
    {
        CatalogChecks.DeviceLoss(interval);
        lock (_gate)
            return InWriteTransaction((connection, transaction) =>
            {
                RequireExists(connection, transaction, interval.Run);
                using var command = Command(connection, transaction, """
                    INSERT INTO device_losses (run, device, start_utc, end_utc, duration_s, triggers_missed)
                    VALUES (@run, @device, @start, @end, @duration, @missed) RETURNING id
                    """);
                var start = CatalogTime.Normalize(interval.StartUtc);
                DateTimeOffset? end = interval.EndUtc is { } e ? CatalogTime.Normalize(e) : null;
                command.AddParameter("@run", interval.Run);
                command.AddParameter("@device", interval.Device);
                AddTime(command, "@start", start);
                AddTime(command, "@end", end);
                command.AddParameter("@duration", end is { } stop ? (stop - start).TotalSeconds : null);
                command.AddParameter("@missed", interval.TriggersMissed);
                return Convert.ToInt64(command.ExecuteScalar());
            });
    }

    public long AddLogbookEntry(LogbookEntry entry)
    {
        CatalogChecks.Logbook(entry);
        lock (_gate)
            return InWriteTransaction((connection, transaction) =>
            {
                if (entry.Run is { } run)
                    RequireExists(connection, transaction, run);
                using var command = Command(connection, transaction,
                    "INSERT INTO logbook (t_utc, author, text, run) VALUES (@t, @author, @text, @run) RETURNING id");
                AddTime(command, "@t", entry.TimeUtc);
                command.AddParameter("@author", entry.Author);
                command.AddParameter("@text", entry.Text);
                command.AddParameter("@run", entry.Run);
                return Convert.ToInt64(command.ExecuteScalar());
            });
    }

    public long AddFit(FitRecord fit)
    {
        CatalogChecks.Fit(fit);
        lock (_gate)
            return InWriteTransaction((connection, transaction) =>
            {
                RequireExists(connection, transaction, fit.Run);
                using var command = Command(connection, transaction, """
                    INSERT INTO fits (run, t_utc, lambda, lambda_error, interval_low, interval_high, lambda_zero_fraction,
                                      chi2, ndf, p_value, converged, model, result_json, software_version)
                    VALUES (@run, @t, @lambda, @error, @low, @high, @lambda0, @chi2, @ndf, @p, @converged, @model, @json, @software)
                    RETURNING id
                    """);
                command.AddParameter("@run", fit.Run);
                AddTime(command, "@t", fit.TimeUtc);
                command.AddParameter("@lambda", fit.Lambda);
                command.AddParameter("@error", fit.LambdaError);
                command.AddParameter("@low", fit.IntervalLow);
                command.AddParameter("@high", fit.IntervalHigh);
                command.AddParameter("@lambda0", fit.LambdaZeroFraction);
                command.AddParameter("@chi2", fit.Chi2);
                command.AddParameter("@ndf", fit.Ndf);
                command.AddParameter("@p", fit.PValue);
                command.AddParameter("@converged", fit.Converged);
                command.AddParameter("@model", fit.Model);
                command.AddParameter("@json", fit.ResultJson);
                command.AddParameter("@software", fit.SoftwareVersion);
                return Convert.ToInt64(command.ExecuteScalar());
            });
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
