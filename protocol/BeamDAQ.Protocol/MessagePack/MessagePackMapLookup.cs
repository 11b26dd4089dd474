namespace BeamDAQ.Protocol.MessagePack;

/// <summary>
/// One integer under a top-level key of an encoded map, read without decoding the rest: every other key and value
/// is skipped, so sample bins are never copied. A payload that is not a readable map, a missing key or a value
/// that is not an integer in range is <c>false</c>, never an exception.
/// </summary>
public static class MessagePackMapLookup
{
    public static bool TryReadUInt64(ReadOnlySpan<byte> map, ReadOnlySpan<byte> key, out ulong value)
    {
        value = 0;
        try
        {
            var reader = new MessagePackReader(map);
            if (!TryMoveToInteger(ref reader, key)) return false;
            value = reader.ReadUInt64();
            return true;
        }
        catch (MessagePackFormatException)
        {
            return false;   // the caller counts the record as undecodable
        }
    }

    public static bool TryReadInt64(ReadOnlySpan<byte> map, ReadOnlySpan<byte> key, out long value)
    {
        value = 0;
        try
        {
            var reader = new MessagePackReader(map);
            if (!TryMoveToInteger(ref reader, key)) return false;
            value = reader.ReadInt64();
            return true;
        }
        catch (MessagePackFormatException)
        {
            return false;
        }
    }

    /// <summary>Leaves <paramref name="reader"/> on the value of <paramref name="key"/> when that value is an integer.</summary>
    private static bool TryMoveToInteger(ref MessagePackReader reader, ReadOnlySpan<byte> key)
    {
        int keys = reader.ReadMapHeader();
        for (int i = 0; i < keys; i++)
        {
            if (reader.NextType != MessagePackType.String)
                reader.Skip(); // a non-string key
            else if (reader.ReadStringUtf8().SequenceEqual(key))
                return reader.NextType == MessagePackType.Integer;
            reader.Skip(); // the value of another key
        }
        return false;
    }
}
