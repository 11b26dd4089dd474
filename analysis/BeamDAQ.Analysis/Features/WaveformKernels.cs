using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BeamDAQ.Analysis.Features;

/// <summary>
/// The integer reductions the features are made of, over raw int16 codes: 16 codes per step with Vector256
/// (pair sums by <c>vpmaddwd</c> where AVX2 is there), a scalar loop for the tail. Sums are exact integers, so
/// the vector and scalar paths agree to the last bit whatever the length. The loops are compiled fully optimised
/// from the first call: an offline run is over before tiered compilation would get to them.
/// </summary>
internal static class WaveformKernels
{
    // Each int32 lane of a pair-sum accumulator grows by at most 2·32768 per step; 16384 steps stay below 2^31.
    private const int PairSumStepsPerFlush = 16384;

    /// <summary>Sum, sum of squares, minimum and maximum of <paramref name="codes"/> (min/max are MaxValue/MinValue when empty).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumSquaresMinMax(ReadOnlySpan<short> codes, out long sum, out ulong sumOfSquares, out short min, out short max)
    {
        ref short start = ref MemoryMarshal.GetReference(codes);
        int n = codes.Length;
        int i = 0;
        long s = 0;
        ulong q = 0;
        short lo = short.MaxValue, hi = short.MinValue;

        if (Vector256.IsHardwareAccelerated && n >= Vector256<short>.Count)
        {
            var vMin = Vector256.Create(short.MaxValue);
            var vMax = Vector256.Create(short.MinValue);
            var pairs = Vector256<int>.Zero;
            var squares = Vector256<ulong>.Zero;
            int untilFlush = PairSumStepsPerFlush;
            int last = n - Vector256<short>.Count;
            for (; i <= last; i += Vector256<short>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                vMin = Vector256.Min(vMin, v);
                vMax = Vector256.Max(vMax, v);
                pairs += PairSums(v);
                // A pair of squares is at most 2·32768² = 2^31: exact as uint32, so widen unsigned.
                var (sqLo, sqHi) = Vector256.Widen(PairSquareSums(v));
                squares += sqLo + sqHi;
                if (--untilFlush == 0)
                {
                    s += SumLanes(pairs);
                    pairs = Vector256<int>.Zero;
                    untilFlush = PairSumStepsPerFlush;
                }
            }
            s += SumLanes(pairs);
            q = Vector256.Sum(squares);
            lo = MinLane(vMin);
            hi = MaxLane(vMax);
        }

        for (; i < n; i++)
        {
            short c = Unsafe.Add(ref start, i);
            s += c;
            q += (ulong)(c * c);
            if (c < lo) lo = c;
            if (c > hi) hi = c;
        }
        sum = s;
        sumOfSquares = q;
        min = lo;
        max = hi;
    }

    /// <summary>Sum, minimum and maximum of <paramref name="codes"/> (min/max are MaxValue/MinValue when empty).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumMinMax(ReadOnlySpan<short> codes, out long sum, out short min, out short max)
    {
        ref short start = ref MemoryMarshal.GetReference(codes);
        int n = codes.Length;
        int i = 0;
        long s = 0;
        short lo = short.MaxValue, hi = short.MinValue;

        if (Vector256.IsHardwareAccelerated && n >= Vector256<short>.Count)
        {
            var vMin = Vector256.Create(short.MaxValue);
            var vMax = Vector256.Create(short.MinValue);
            var pairs = Vector256<int>.Zero;
            int untilFlush = PairSumStepsPerFlush;
            int last = n - Vector256<short>.Count;
            for (; i <= last; i += Vector256<short>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                vMin = Vector256.Min(vMin, v);
                vMax = Vector256.Max(vMax, v);
                pairs += PairSums(v);
                if (--untilFlush == 0)
                {
                    s += SumLanes(pairs);
                    pairs = Vector256<int>.Zero;
                    untilFlush = PairSumStepsPerFlush;
                }
            }
            s += SumLanes(pairs);
            lo = MinLane(vMin);
            hi = MaxLane(vMax);
        }

        for (; i < n; i++)
        {
            short c = Unsafe.Add(ref start, i);
            s += c;
            if (c < lo) lo = c;
            if (c > hi) hi = c;
        }
        sum = s;
        min = lo;
        max = hi;
    }

    /// <summary>Sum of <paramref name="codes"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long Sum(ReadOnlySpan<short> codes)
    {
        ref short start = ref MemoryMarshal.GetReference(codes);
        int n = codes.Length;
        int i = 0;
        long s = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<short>.Count)
        {
            var pairs = Vector256<int>.Zero;
            int untilFlush = PairSumStepsPerFlush;
            int last = n - Vector256<short>.Count;
            for (; i <= last; i += Vector256<short>.Count)
            {
                pairs += PairSums(Vector256.LoadUnsafe(ref start, (nuint)i));
                if (--untilFlush == 0)
                {
                    s += SumLanes(pairs);
                    pairs = Vector256<int>.Zero;
                    untilFlush = PairSumStepsPerFlush;
                }
            }
            s += SumLanes(pairs);
        }
        for (; i < n; i++)
            s += Unsafe.Add(ref start, i);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> PairSums(Vector256<short> v)
    {
        if (Avx2.IsSupported)
            return Avx2.MultiplyAddAdjacent(v, Vector256<short>.One);
        var (lo, hi) = Vector256.Widen(v);
        return lo + hi;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> PairSquareSums(Vector256<short> v)
    {
        if (Avx2.IsSupported)
            return Avx2.MultiplyAddAdjacent(v, v).AsUInt32();
        var (lo, hi) = Vector256.Widen(v);
        return (lo * lo).AsUInt32() + (hi * hi).AsUInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long SumLanes(Vector256<int> v)
    {
        var (lo, hi) = Vector256.Widen(v);
        return Vector256.Sum(lo + hi);
    }

    private static short MinLane(Vector256<short> v)
    {
        short m = short.MaxValue;
        for (int k = 0; k < Vector256<short>.Count; k++)
            m = Math.Min(m, v.GetElement(k));
        return m;
    }

    private static short MaxLane(Vector256<short> v)
    {
        short m = short.MinValue;
        for (int k = 0; k < Vector256<short>.Count; k++)
            m = Math.Max(m, v.GetElement(k));
        return m;
    }
}
