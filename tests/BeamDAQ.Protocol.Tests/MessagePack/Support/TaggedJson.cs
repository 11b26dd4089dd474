using System.Collections;
using System.Text.Json;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Tests.MessagePack.Support;

/// <summary>
/// Writes a .NET value as the tagged JSON the Python conformance peer rebuilds it from: integers as decimal
/// strings, floats as IEEE bit patterns, maps as ordered pairs — everything plain JSON would blur.
/// </summary>
public static class TaggedJson
{
    public static void Write(Utf8JsonWriter json, object? value)
    {
        json.WriteStartObject();
        switch (value)
        {
            case null:
                json.WriteString("t", "nil");
                break;
            case bool b:
                json.WriteString("t", "bool");
                json.WriteBoolean("v", b);
                break;
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                json.WriteString("t", "int");
                json.WriteString("v", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case float f:
                json.WriteString("t", "f32");
                json.WriteString("bits", BitConverter.SingleToUInt32Bits(f).ToString("x8"));
                break;
            case double d:
                json.WriteString("t", "f64");
                json.WriteString("bits", BitConverter.DoubleToUInt64Bits(d).ToString("x16"));
                break;
            case string s:
                json.WriteString("t", "str");
                json.WriteString("v", s);
                break;
            case byte[] bytes:
                json.WriteString("t", "bin");
                json.WriteString("hex", Convert.ToHexString(bytes));
                break;
            case MessagePackExtension ext:
                json.WriteString("t", "ext");
                json.WriteNumber("type", ext.Type);
                json.WriteString("hex", Convert.ToHexString(ext.Data));
                break;
            case DateTimeOffset timestamp:
                var (seconds, nanoseconds) = MessagePackTimestamp.ToUnix(timestamp);
                json.WriteString("t", "ts");
                json.WriteString("s", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteNumber("ns", nanoseconds);
                break;
            case IEnumerable<KeyValuePair<string, object?>> map:
                json.WriteString("t", "map");
                json.WriteStartArray("v");
                foreach (var (key, item) in map)
                {
                    json.WriteStartArray();
                    json.WriteStringValue(key);
                    Write(json, item);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
                break;
            case IEnumerable sequence:
                json.WriteString("t", "arr");
                json.WriteStartArray("v");
                foreach (var item in sequence)
                    Write(json, item);
                json.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"no tagged JSON form for {value.GetType()}");
        }
        json.WriteEndObject();
    }
}
