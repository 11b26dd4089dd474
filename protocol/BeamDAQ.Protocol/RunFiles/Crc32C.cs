using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;
using X86Sse42 = System.Runtime.Intrinsics.X86.Sse42;

namespace BeamDAQ.Protocol.RunFiles;

/// <summary>
/// CRC-32C (Castagnoli: reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF), the
/// checksum of every run-file record. The check value of the ASCII bytes "123456789" is 0xE3069283.
/// Uses the CPU's CRC32 instruction (SSE4.2 on x64, the CRC32 extension on Arm64) over 8-byte words in three
/// interleaved chains (~3× one chain: a 1.4 GB run file is checked in about 0.1 s) and falls back to a
/// slicing-by-8 table elsewhere; all paths give identical results.
/// </summary>
public static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78;

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// Continues a CRC: <c>Append(Compute(a), b) == Compute(a ++ b)</c>, so a record's checksum can be
    /// computed over its topic and payload without first copying them together.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        if (X86Sse42.X64.IsSupported) state = UpdateHardware<X64Step>(state, data);
        else if (ArmCrc32.Arm64.IsSupported) state = UpdateHardware<Arm64Step>(state, data);
        else state = UpdateTable(state, data);
        return ~state;
    }

    /// <summary>The CPU instruction in use, for logs and benchmarks.</summary>
    public static string Implementation =>
        X86Sse42.X64.IsSupported ? "x64 SSE4.2 crc32, 3 chains" : ArmCrc32.Arm64.IsSupported ? "Arm64 crc32c, 3 chains" : "slicing-by-8 table";

    /// <summary>The table path regardless of the CPU, so tests can hold the hardware path against it.</summary>
    internal static uint ComputeWithTable(ReadOnlySpan<byte> data) => ~UpdateTable(~0u, data);

    // Three independent CRC chains hide the instruction's 3-cycle latency (it can start one per cycle); the three
    // partial CRCs are then joined by "shifting" the earlier ones over the later blocks with precomputed tables.
    // Block sizes and the joining method follow Mark Adler's crc32c.c (zlib licence, public algorithm).
    private const int LongBlock = 8192;
    private const int ShortBlock = 256;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint UpdateHardware<TStep>(uint state, ReadOnlySpan<byte> data) where TStep : struct, ICrcStep
    {
        ref byte next = ref MemoryMarshal.GetReference(data);
        nuint remaining = (nuint)data.Length;
        ulong crc0 = state;

        while (remaining >= 3 * LongBlock)
        {
            ulong crc1 = 0, crc2 = 0;
            for (nuint i = 0; i < LongBlock; i += 8)
            {
                crc0 = TStep.Step(crc0, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref next, i)));
                crc1 = TStep.Step(crc1, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref next, i + LongBlock)));
                crc2 = TStep.Step(crc2, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref next, i + 2 * LongBlock)));
            }
            crc0 = Shift(ShiftTables.Long, (uint)crc0) ^ crc1;
            crc0 = Shift(ShiftTables.Long, (uint)crc0) ^ crc2;
            next = ref Unsafe.Add(ref next, 3 * LongBlock);
            remaining -= 3 * LongBlock;
        }
        while (remaining >= 3 * ShortBlock)
        {
            ulong crc1 = 0, crc2 = 0;
            for (nuint i = 0; i < ShortBlock; i += 8)
            {
                crc0 = TStep.Step(crc0, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref next, i)));
                crc1 = TStep.Step(crc1, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref next, i + ShortBlock)));
                crc2 = TStep.Step(crc2, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref next, i + 2 * ShortBlock)));
            }
            crc0 = Shift(ShiftTables.Short, (uint)crc0) ^ crc1;
            crc0 = Shift(ShiftTables.Short, (uint)crc0) ^ crc2;
            next = ref Unsafe.Add(ref next, 3 * ShortBlock);
            remaining -= 3 * ShortBlock;
        }
        for (; remaining >= 8; remaining -= 8)
        {
            crc0 = TStep.Step(crc0, Unsafe.ReadUnaligned<ulong>(ref next));
            next = ref Unsafe.Add(ref next, 8);
        }
        uint narrow = (uint)crc0;
        for (nuint i = 0; i < remaining; i++)
            narrow = TStep.Step(narrow, Unsafe.Add(ref next, i));
        return narrow;
    }

    /// <summary>The raw CRC state after feeding as many zero bytes as the table stands for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Shift(uint[] table, uint crc) =>
        table[crc & 0xFF] ^ table[256 + ((crc >> 8) & 0xFF)] ^ table[512 + ((crc >> 16) & 0xFF)] ^ table[768 + (crc >> 24)];

    /// <summary>One CRC instruction set; a struct type argument so the JIT compiles a separate, fully inlined loop for each.</summary>
    private interface ICrcStep
    {
        static abstract ulong Step(ulong crc, ulong data);
        static abstract uint Step(uint crc, byte data);
    }

    private readonly struct X64Step : ICrcStep
    {
        public static ulong Step(ulong crc, ulong data) => X86Sse42.X64.Crc32(crc, data);
        public static uint Step(uint crc, byte data) => X86Sse42.Crc32(crc, data);
    }

    private readonly struct Arm64Step : ICrcStep
    {
        public static ulong Step(ulong crc, ulong data) => ArmCrc32.Arm64.ComputeCrc32C((uint)crc, data);
        public static uint Step(uint crc, byte data) => ArmCrc32.ComputeCrc32C(crc, data);
    }

    /// <summary>Tables that advance a raw CRC over a run of zero bytes (GF(2) matrix powers, as in zlib's crc32_combine).</summary>
    private static class ShiftTables
    {
        public static readonly uint[] Long = Build(LongBlock);
        public static readonly uint[] Short = Build(ShortBlock);

        private static uint[] Build(int zeroBytes)
        {
            uint[] op = ZerosOperator(zeroBytes);
            var table = new uint[4 * 256];
            for (uint n = 0; n < 256; n++)
            {
                table[n] = Times(op, n);
                table[256 + n] = Times(op, n << 8);
                table[512 + n] = Times(op, n << 16);
                table[768 + n] = Times(op, n << 24);
            }
            return table;
        }

        /// <summary>The 32×32 GF(2) matrix that feeds <paramref name="zeroBytes"/> (a power of two) zero bytes.</summary>
        private static uint[] ZerosOperator(int zeroBytes)
        {
            var odd = new uint[32];
            var even = new uint[32];
            odd[0] = ReflectedPolynomial; // one zero bit
            for (int n = 1; n < 32; n++) odd[n] = 1u << (n - 1);
            Square(even, odd); // two zero bits
            Square(odd, even); // four zero bits
            int length = zeroBytes;
            while (true)
            {
                Square(even, odd); // first pass: one zero byte
                length >>= 1;
                if (length == 0) return even;
                Square(odd, even);
                length >>= 1;
                if (length == 0) return odd;
            }
        }

        private static void Square(uint[] square, uint[] matrix)
        {
            for (int n = 0; n < 32; n++) square[n] = Times(matrix, matrix[n]);
        }

        private static uint Times(uint[] matrix, uint vector)
        {
            uint sum = 0;
            for (int i = 0; vector != 0; i++, vector >>= 1)
                if ((vector & 1) != 0) sum ^= matrix[i];
            return sum;
        }
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
