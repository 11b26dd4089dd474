using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;
using X86Sse42 = System.Runtime.Intrinsics.X86.Sse42;

namespace BeamDAQ.Protocol.RunFiles;

/// <summary>
/// CRC-32C (Castagnoli: reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF), the
/// checksum of every run-file record. The check value of the ASCII bytes "123456789" is 0xE3069283.
/// Uses the CPU's CRC32 instruction (SSE4.2 on x64, the CRC32 extension on Arm64) over 8-byte words and
/// falls back to a slicing-by-8 table elsewhere; all paths give identical results.
/// </summary>
public static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78;

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// Continues a CRC: <c>Append(Compute(a), b) == Compute(a ++ b)</c>, so a record's checksum can be
    /// computed over its topic and payload without first copying them together.
    /// </summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        if (X86Sse42.X64.IsSupported) state = UpdateX64(state, data);
        else if (ArmCrc32.Arm64.IsSupported) state = UpdateArm64(state, data);
        else state = UpdateTable(state, data);
        return ~state;
    }

    /// <summary>The CPU instruction in use, for logs and benchmarks.</summary>
    public static string Implementation =>
        X86Sse42.X64.IsSupported ? "x64 SSE4.2 crc32" : ArmCrc32.Arm64.IsSupported ? "Arm64 crc32c" : "slicing-by-8 table";

    /// <summary>The table path regardless of the CPU, so tests can hold the hardware path against it.</summary>
    internal static uint ComputeWithTable(ReadOnlySpan<byte> data) => ~UpdateTable(~0u, data);

    private static uint UpdateX64(uint state, ReadOnlySpan<byte> data)
    {
        ulong wide = state;
        ref byte start = ref MemoryMarshal.GetReference(data);
        int words = data.Length >> 3;
        for (int i = 0; i < words; i++)
            wide = X86Sse42.X64.Crc32(wide, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i << 3)));
        uint narrow = (uint)wide;
        for (int i = words << 3; i < data.Length; i++)
            narrow = X86Sse42.Crc32(narrow, Unsafe.Add(ref start, i));
        return narrow;
    }

    private static uint UpdateArm64(uint state, ReadOnlySpan<byte> data)
    {
        ref byte start = ref MemoryMarshal.GetReference(data);
        int words = data.Length >> 3;
        for (int i = 0; i < words; i++)
            state = ArmCrc32.Arm64.ComputeCrc32C(state, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i << 3)));
        for (int i = words << 3; i < data.Length; i++)
            state = ArmCrc32.ComputeCrc32C(state, Unsafe.Add(ref start, i));
        return state;
    }

    private static uint UpdateTable(uint state, ReadOnlySpan<byte> data)
    {
        uint[] t = Tables.Value;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i)) ^ state;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i + 4));
            state = t[7 * 256 + (low & 0xFF)] ^ t[6 * 256 + ((low >> 8) & 0xFF)]
                  ^ t[5 * 256 + ((low >> 16) & 0xFF)] ^ t[4 * 256 + (low >> 24)]
                  ^ t[3 * 256 + (high & 0xFF)] ^ t[2 * 256 + ((high >> 8) & 0xFF)]
                  ^ t[1 * 256 + ((high >> 16) & 0xFF)] ^ t[high >> 24];
        }
        for (; i < data.Length; i++)
            state = t[(state ^ data[i]) & 0xFF] ^ (state >> 8);
        return state;
    }

    // Built on first use only: machines with the CRC instruction never need it.
    private static readonly Lazy<uint[]> Tables = new(BuildTables);

    private static uint[] BuildTables()
    {
        // Table k maps a byte to its CRC contribution k bytes further on (slicing-by-8).
        var t = new uint[8 * 256];
        for (uint b = 0; b < 256; b++)
        {
            uint c = b;
            for (int bit = 0; bit < 8; bit++)
                c = (c & 1) != 0 ? (c >> 1) ^ ReflectedPolynomial : c >> 1;
            t[b] = c;
        }
        for (int k = 1; k < 8; k++)
            for (int b = 0; b < 256; b++)
            {
                uint previous = t[(k - 1) * 256 + b];
                t[k * 256 + b] = (previous >> 8) ^ t[previous & 0xFF];
            }
        return t;
    }
}
