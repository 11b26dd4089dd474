using System.Collections;
using BeamDAQ.Protocol.MessagePack;

namespace BeamDAQ.Protocol.Tests.MessagePack.Support;

/// <summary>
/// Compares a value <see cref="MessagePackValue.Read"/> produced with the value that was written: same type family,
/// same integer, same float bits, same map order. Returns null when equal, else where and how they differ.
/// </summary>
public static class ValueComparer
{
    public static string? Difference(object? expected, object? actual, string path = "$")
    {
        switch (expected)
        {
            case null:
                return actual is null ? null : $"{path}: expected nil, got {Show(actual)}";
            case bool b:
                return actual is bool a && a == b ? null : $"{path}: expected {b}, got {Show(actual)}";
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                Int128 wantInteger = ToInt128(expected);
                Type wantType = wantInteger > long.MaxValue ? typeof(ulong) : typeof(long);
                if (actual?.GetType() != wantType || ToInt128(actual) != wantInteger)
                    return $"{path}: expected {wantType.Name} {wantInteger}, got {Show(actual)}";
                return null;
            case float f:
                return actual is double d && BitConverter.DoubleToUInt64Bits(d) == BitConverter.DoubleToUInt64Bits(f)
                    ? null : $"{path}: expected float32 {f:R}, got {Show(actual)}";
            case double e:
                return actual is double g && BitConverter.DoubleToUInt64Bits(g) == BitConverter.DoubleToUInt64Bits(e)
                    ? null : $"{path}: expected {e:R}, got {Show(actual)}";
            case string s:
                return actual is string t && t == s ? null : $"{path}: expected string of {s.Length} chars, got {Show(actual)}";
            case byte[] bytes:
                return actual is byte[] gotBytes && gotBytes.AsSpan().SequenceEqual(bytes) ? null : $"{path}: expected bin of {bytes.Length} bytes, got {Show(actual)}";
            case DateTimeOffset ts:
                return actual is DateTimeOffset u && u == ts && u.Offset == TimeSpan.Zero ? null : $"{path}: expected {ts:O}, got {Show(actual)}";
            case MessagePackExtension ext:
                return ext.Equals(actual as MessagePackExtension) ? null : $"{path}: expected {ext}, got {Show(actual)}";
            case IEnumerable<KeyValuePair<string, object?>> map:
            {
                if (actual is not Dictionary<string, object?> gotMap)
                    return $"{path}: expected a map, got {Show(actual)}";
                var wantEntries = map.ToList();
                var gotEntries = gotMap.ToList();
                if (wantEntries.Count != gotEntries.Count)
                    return $"{path}: expected {wantEntries.Count} entries, got {gotEntries.Count}";
                for (int i = 0; i < wantEntries.Count; i++)
                {
                    if (wantEntries[i].Key != gotEntries[i].Key)
                        return $"{path}: entry {i} expected key '{wantEntries[i].Key}', got '{gotEntries[i].Key}'";
                    if (Difference(wantEntries[i].Value, gotEntries[i].Value, $"{path}.{wantEntries[i].Key}") is { } inner)
                        return inner;
                }
                return null;
            }
            case IEnumerable sequence:
            {
                if (actual is not List<object?> gotList)
                    return $"{path}: expected an array, got {Show(actual)}";
                var wantList = sequence.Cast<object?>().ToList();
                if (wantList.Count != gotList.Count)
                    return $"{path}: expected {wantList.Count} elements, got {gotList.Count}";
                for (int i = 0; i < wantList.Count; i++)
                    if (Difference(wantList[i], gotList[i], $"{path}[{i}]") is { } inner)
                        return inner;
                return null;
            }
            default:
                return $"{path}: cannot compare {expected.GetType()}";
        }
    }

    private static Int128 ToInt128(object? value) => value switch
    {
        sbyte v => v, byte v => v, short v => v, ushort v => v, int v => v, uint v => v, long v => v, ulong v => v,
        _ => Int128.MinValue,
    };

    private static string Show(object? value) => value switch
    {
        null => "nil",
        byte[] b => $"bin of {b.Length} bytes",
        string s => $"string of {s.Length} chars",
        _ => $"{value.GetType().Name} {value}",
    };
}
