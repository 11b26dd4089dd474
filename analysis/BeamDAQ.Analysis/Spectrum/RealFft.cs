using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace BeamDAQ.Analysis.Spectrum;

/// <summary>
/// Radix-2 FFT of real sequences of one fixed power-of-two length N. The spectrum model calls it thousands of
/// times per fit, so everything that does not depend on the data is computed once: the bit-reversal table,
/// per-stage contiguous twiddles, the real/complex split factors. A length-N real transform runs as one
/// length-N/2 complex transform in split (re[], im[]) form, vectorised four butterflies at a time; the inverse
/// transform is the forward one with real and imaginary parts exchanged.
/// Conventions (unnormalised): Forward X_k = Σ_j x_j e^{−2πi jk/N}, k = 0..N/2;
/// Inverse x_j = Σ_{k=0}^{N−1} X_k e^{+2πi jk/N} for a Hermitian X given by its first N/2+1 terms.
/// An instance owns scratch buffers and is not thread-safe; the tables are shared between instances.
/// </summary>
public sealed class RealFft
{
    private readonly int _n;
    private readonly int _half;
    private readonly Plan _plan;
    private readonly double[] _re, _im;

    public RealFft(int length)
    {
        if (length < 8 || (length & (length - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, "FFT length must be a power of two >= 8");
        _n = length;
        _half = length / 2;
        _plan = Plan.For(length);
        _re = new double[_half];
        _im = new double[_half];
    }

    public int Length => _n;

    /// <summary>Number of complex outputs of <see cref="Forward"/>: N/2 + 1.</summary>
    public int SpectrumLength => _half + 1;

    /// <summary>Real input of length N → X_0..X_{N/2}.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<double> input, Span<Complex> output)
    {
        if (input.Length != _n || output.Length < _half + 1)
            throw new ArgumentException($"Forward: need {_n} inputs and {_half + 1} outputs");
        var re = _re;
        var im = _im;
        var reverse = _plan.BitReverse;
        for (int j = 0; j < _half; j++)
        {
            int r = reverse[j];
            re[r] = input[2 * j];
            im[r] = input[2 * j + 1];
        }
        Butterflies(re, im, _plan);
        // X_k = E_k + e^{−2πik/N} O_k, E_k = (Z_k + conj Z_{h−k})/2, O_k = (Z_k − conj Z_{h−k})/(2i)
        var cos = _plan.SplitCos;
        var sin = _plan.SplitSin;
        int h = _half;
        for (int k = 0; k <= h; k++)
        {
            int a = k == h ? 0 : k, b = k == 0 ? 0 : h - k;
            double zr = re[a], zi = im[a], cr = re[b], ci = -im[b];
            double er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
            double dr = 0.5 * (zr - cr), di = 0.5 * (zi - ci);
            double or = di, oi = -dr; // d / i
            double wr = cos[k], wi = sin[k];
            output[k] = new Complex(er + wr * or - wi * oi, ei + wr * oi + wi * or);
        }
    }

    /// <summary>X_0..X_{N/2} of a Hermitian spectrum → real output of length N (no 1/N factor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Inverse(ReadOnlySpan<Complex> input, Span<double> output)
    {
        if (input.Length < _half + 1 || output.Length != _n)
            throw new ArgumentException($"Inverse: need {_half + 1} inputs and {_n} outputs");
        var re = _re;
        var im = _im;
        var reverse = _plan.BitReverse;
        var cos = _plan.SplitCos;
        var sin = _plan.SplitSin;
        int h = _half;
        for (int k = 0; k < h; k++)
        {
            Complex xk = input[k];
            Complex xc = input[h - k];
            double sr = xk.Real + xc.Real, si = xk.Imaginary - xc.Imaginary;       // X_k + conj X_{h−k}
            double fr = xk.Real - xc.Real, fi = xk.Imaginary + xc.Imaginary;       // X_k − conj X_{h−k}
            double wr = cos[k], wi = -sin[k];                                       // e^{+2πik/N}
            double dr = wr * fr - wi * fi, di = wr * fi + wi * fr;
            // Z_k = sum + i·d; stored with re/im exchanged so the forward butterflies compute the inverse.
            int r = reverse[k];
            im[r] = sr - di;
            re[r] = si + dr;
        }
        Butterflies(re, im, _plan);
        for (int j = 0; j < h; j++)
        {
            output[2 * j] = im[j];
            output[2 * j + 1] = re[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Butterflies(double[] reArray, double[] imArray, Plan plan)
    {
        int n = reArray.Length;
        fixed (double* re = reArray, im = imArray, twr = plan.TwiddleCos, twi = plan.TwiddleSin)
        {
            // Stage of size 2: twiddle 1.
            for (int j = 0; j < n; j += 2)
            {
                double ar = re[j], ai = im[j], br = re[j + 1], bi = im[j + 1];
                re[j] = ar + br; im[j] = ai + bi;
                re[j + 1] = ar - br; im[j + 1] = ai - bi;
            }
            // Stage of size 4: twiddles 1 and −i.
            if (n >= 4)
            {
                for (int j = 0; j < n; j += 4)
                {
                    double ar = re[j], ai = im[j], br = re[j + 2], bi = im[j + 2];
                    re[j] = ar + br; im[j] = ai + bi;
                    re[j + 2] = ar - br; im[j + 2] = ai - bi;
                    double cr = re[j + 1], ci = im[j + 1], dr = im[j + 3], di = -re[j + 3]; // −i·(re + i im)
                    re[j + 1] = cr + dr; im[j + 1] = ci + di;
                    re[j + 3] = cr - dr; im[j + 3] = ci - di;
                }
            }
            for (int hs = 4; hs < n; hs <<= 1)
            {
                double* wr = twr + hs, wi = twi + hs;
                for (int start = 0; start < n; start += 2 * hs)
                {
                    double* ar = re + start, ai = im + start, br = re + start + hs, bi = im + start + hs;
                    int k = 0;
                    if (Vector256.IsHardwareAccelerated)
                    {
                        for (; k + 4 <= hs; k += 4)
                        {
                            var c = Vector256.Load(wr + k);
                            var s = Vector256.Load(wi + k);
                            var xr = Vector256.Load(br + k);
                            var xi = Vector256.Load(bi + k);
                            var tr = c * xr - s * xi;
                            var ti = c * xi + s * xr;
                            var yr = Vector256.Load(ar + k);
                            var yi = Vector256.Load(ai + k);
                            (yr - tr).Store(br + k);
                            (yi - ti).Store(bi + k);
                            (yr + tr).Store(ar + k);
                            (yi + ti).Store(ai + k);
                        }
                    }
                    for (; k < hs; k++)
                    {
                        double c = wr[k], s = wi[k], xr = br[k], xi = bi[k];
                        double tr = c * xr - s * xi, ti = c * xi + s * xr;
                        double yr = ar[k], yi = ai[k];
                        br[k] = yr - tr; bi[k] = yi - ti;
                        ar[k] = yr + tr; ai[k] = yi + ti;
                    }
                }
            }
        }
    }

    /// <summary>The data-independent tables of one length, shared by all instances.</summary>
    private sealed class Plan
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Plan> Cache = new();

        public required int[] BitReverse { get; init; }
        /// <summary>Twiddles of the stage with half-size hs at [hs, 2hs): e^{−2πik/(2hs)}.</summary>
        public required double[] TwiddleCos { get; init; }
        public required double[] TwiddleSin { get; init; }
        /// <summary>e^{−2πik/N}, k = 0..N/2.</summary>
        public required double[] SplitCos { get; init; }
        public required double[] SplitSin { get; init; }

        public static Plan For(int length) => Cache.GetOrAdd(length, Build);

        private static Plan Build(int length)
        {
            int half = length / 2;
            int bits = BitOperations.Log2((uint)half);
            var reverse = new int[half];
            for (int i = 0; i < half; i++)
            {
                uint v = (uint)i, r = 0;
                for (int b = 0; b < bits; b++) { r = (r << 1) | (v & 1); v >>= 1; }
                reverse[i] = (int)r;
            }
            var tc = new double[Math.Max(half, 2)];
            var ts = new double[Math.Max(half, 2)];
            for (int hs = 1; hs < half; hs <<= 1)
            {
                for (int k = 0; k < hs; k++)
                {
                    double a = -Math.PI * k / hs;
                    tc[hs + k] = Math.Cos(a);
                    ts[hs + k] = Math.Sin(a);
                }
            }
            var sc = new double[half + 1];
            var ss = new double[half + 1];
            for (int k = 0; k <= half; k++)
            {
                double a = -2 * Math.PI * k / length;
                sc[k] = Math.Cos(a);
                ss[k] = Math.Sin(a);
            }
            return new Plan { BitReverse = reverse, TwiddleCos = tc, TwiddleSin = ts, SplitCos = sc, SplitSin = ss };
        }
    }
}
