using System.Collections;
using System.Text;
using System.Text.Json;
using BeamDAQ.Protocol.Events;

namespace BeamDAQ.Control.Catalog;

/// <summary>
/// The catalog records of what arrives on the wire (<c>fit</c>, <c>sc</c>, <c>alarm</c>), so that run control stores
/// a published message without re-typing its fields. A fit keeps its complete map as JSON.
/// </summary>
public static class WireMessages
{
    public static FitRecord ToFitRecord(this FitMessage fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return new FitRecord
        {
            Run = fit.Run,
            TimeUtc = FromUnixNanoseconds(fit.TimeNs),
            Lambda = fit.Lambda,
            LambdaError = Finite(fit.LambdaError),   // a fit that failed may publish NaN: stored as "not available"
            IntervalLow = Finite(fit.LambdaLow),
            IntervalHigh = Finite(fit.LambdaHigh),
            LambdaZeroFraction = Finite(fit.LambdaZeroFraction),
            Chi2 = Finite(fit.Chi2),
            Ndf = fit.Ndf,
            PValue = Finite(fit.PValue),
            Converged = fit.Converged ?? false,
            Model = fit.Model is { Length: > 0 } model ? model : "unspecified",
            ResultJson = ToJson(fit.ToMap()),
            SoftwareVersion = fit.Software is { Length: > 0 } software ? software : "unspecified",
        };
    }

    public static SlowControlReading ToReading(this SlowControlMessage reading, long? run)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return new SlowControlReading(run, FromUnixNanoseconds(reading.TimeNs), reading.Device, reading.Quantity, reading.Value, reading.Unit);
    }

    public static AlarmRecord ToAlarmRecord(this AlarmMessage alarm, long? run)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        return new AlarmRecord(run, FromUnixNanoseconds(alarm.TimeNs), alarm.Source, alarm.Severity.ToWire(), alarm.Code, alarm.Message);
    }

    /// <summary>The wire's <c>t_ns</c> (ns since the Unix epoch, UTC) as the catalog's time (to the microsecond).</summary>
    public static DateTimeOffset FromUnixNanoseconds(long nanoseconds) =>
        CatalogTime.Normalize(DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / 100));

    /// <summary>
    /// An untyped MessagePack map as JSON: binaries as base64, timestamps as ISO 8601, non-finite numbers as
    /// strings ("NaN", "Infinity") because JSON has no such numbers.
    /// </summary>
    public static string ToJson(IReadOnlyDictionary<string, object?> map)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Export.CatalogJson.WriterOptions.Encoder }))
            WriteValue(writer, map);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case string s: writer.WriteStringValue(s); break;
            case double d when !double.IsFinite(d): writer.WriteStringValue(d.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case float f when !float.IsFinite(f): writer.WriteStringValue(f.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case double d: writer.WriteNumberValue(d); break;
            case float f: writer.WriteNumberValue(f); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case long or int or uint or short or ushort or byte or sbyte: writer.WriteNumberValue(Convert.ToInt64(value)); break;
            case byte[] bytes: writer.WriteBase64StringValue(bytes); break;
            case DateTimeOffset t: writer.WriteStringValue(CatalogTime.ToText(t)); break;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                writer.WriteStartObject();
                foreach (var (key, item) in pairs)
                {
                    writer.WritePropertyName(key);
                    WriteValue(writer, item);
                }
                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (object? item in items)
                    WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
