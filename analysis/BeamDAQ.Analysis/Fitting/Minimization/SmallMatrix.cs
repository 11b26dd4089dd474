namespace BeamDAQ.Analysis.Fitting.Minimization;

/// <summary>
/// Dense symmetric positive-definite algebra for the handful of parameters of a fit (row-major n×n spans):
/// Cholesky factorisation, solves and inverses without allocating in the minimiser's inner loop.
/// </summary>
internal static class SmallMatrix
{
    /// <summary>In-place Cholesky A = L Lᵀ (lower triangle); false when A is not positive definite.</summary>
    public static bool Cholesky(Span<double> a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
            if (!(d > 0) || !double.IsFinite(d)) return false;
            double l = Math.Sqrt(d);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
                a[i * n + j] = s / l;
            }
        }
        return true;
    }

    /// <summary>Solves L Lᵀ x = b in place, with L from <see cref="Cholesky"/>.</summary>
    public static void Solve(ReadOnlySpan<double> l, int n, Span<double> b)
    {
        for (int i = 0; i < n; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * n + k] * b[k];
            b[i] = s / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
            b[i] = s / l[i * n + i];
        }
    }

    /// <summary>Inverse of a symmetric positive-definite matrix, or null when it is not positive definite.</summary>
    public static double[]? InverseSpd(ReadOnlySpan<double> a, int n)
    {
        var l = a[..(n * n)].ToArray();
        if (!Cholesky(l, n)) return null;
        var inverse = new double[n * n];
        var column = new double[n];
        for (int j = 0; j < n; j++)
        {
            Array.Clear(column);
            column[j] = 1;
            Solve(l, n, column);
            for (int i = 0; i < n; i++) inverse[i * n + j] = column[i];
        }
        // Symmetrise away the rounding.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double m = 0.5 * (inverse[i * n + j] + inverse[j * n + i]);
                inverse[i * n + j] = inverse[j * n + i] = m;
            }
        return inverse;
    }

    /// <summary>Smallest eigenvalue of a symmetric matrix (Jacobi rotations; n is small).</summary>
    public static double SmallestEigenvalue(ReadOnlySpan<double> a, int n)
    {
        var m = a[..(n * n)].ToArray();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    double apq = m[p * n + q];
                    if (Math.Abs(apq) < 1e-300) continue;
                    double theta = 0.5 * (m[q * n + q] - m[p * n + p]) / apq;
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = m[k * n + p], akq = m[k * n + q];
                        m[k * n + p] = c * akp - s * akq;
                        m[k * n + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double apk = m[p * n + k], aqk = m[q * n + k];
                        m[p * n + k] = c * apk - s * aqk;
                        m[q * n + k] = s * apk + c * aqk;
                    }
                }
        }
        double min = double.PositiveInfinity;
        for (int i = 0; i < n; i++) min = Math.Min(min, m[i * n + i]);
        return min;
    }
}
