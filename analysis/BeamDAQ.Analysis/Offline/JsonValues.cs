using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace BeamDAQ.Analysis.Offline;

/// <summary>Writes the untyped values of decoded maps and the doubles of results as JSON (NaN and ±∞ as null: JSON has no such numbers).</summary>
public static class JsonValues
{
    public static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }

    public static void WriteNumber(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }

    public static void WriteArray(Utf8JsonWriter writer, string name, ReadOnlySpan<double> values)
    {
        writer.WriteStartArray(name);
        foreach (double v in values) WriteNumber(writer, v);
        writer.WriteEndArray();
    }

    public static void Write(Utf8JsonWriter writer, string name, object? value)
    {
        writer.WritePropertyName(name);
        Write(writer, value);
    }

    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long l: writer.WriteNumberValue(l); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case int i: writer.WriteNumberValue(i); break;
            case double d: WriteNumber(writer, d); break;
            case float f: WriteNumber(writer, f); break;
            case string s: writer.WriteStringValue(s); break;
            case byte[] bytes: writer.WriteBase64StringValue(bytes); break;
            case DateTimeOffset time: writer.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture)); break;
            case IReadOnlyDictionary<string, object?> map:
                writer.WriteStartObject();
                foreach (var (key, item) in map) Write(writer, key, item);
                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items) Write(writer, item);
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }
}
