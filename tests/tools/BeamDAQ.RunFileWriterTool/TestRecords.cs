using System.Buffers.Binary;

namespace BeamDAQ.RunFileWriterTool;

/// <summary>
/// The records the tool writes: record i carries i as a little-endian u64 followed by a pattern derived from i,
/// so a reader can prove each recovered record is the one written, byte for byte.
/// </summary>
public static class TestRecords
{
    public const string Topic = "test.seq";

    public static void Fill(Span<byte> payload, long index)
    {
        BinaryPrimitives.WriteInt64LittleEndian(payload, index);
        for (int i = sizeof(long); i < payload.Length; i++)
            payload[i] = (byte)(index * 31 + i);
    }

    /// <summary>Whether <paramref name="payload"/> is exactly the payload of record <paramref name="index"/>.</summary>
    public static bool IsIntact(ReadOnlySpan<byte> payload, long index)
    {
        if (payload.Length < sizeof(long) || BinaryPrimitives.ReadInt64LittleEndian(payload) != index) return false;
        for (int i = sizeof(long); i < payload.Length; i++)
            if (payload[i] != (byte)(index * 31 + i)) return false;
        return true;
    }
}
