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
}
