namespace Monodepth2.Evaluation;

/// <summary>Small helpers for 4x4 double matrices (<c>double[4, 4]</c>, row major) used by pose evaluation.</summary>
public static class Matrix4
{
    /// <summary>The identity.</summary>
    public static double[,] Identity()
    {
        var m = new double[4, 4];
        for (var i = 0; i < 4; i++)
        {
            m[i, i] = 1;
        }

        return m;
    }

    /// <summary>A pure translation.</summary>
    public static double[,] Translation(double x, double y, double z)
    {
        var m = Identity();
        m[0, 3] = x;
        m[1, 3] = y;
        m[2, 3] = z;
        return m;
    }

    /// <summary>The product a b.</summary>
    public static double[,] Multiply(double[,] a, double[,] b)
    {
        Check(a);
        Check(b);
        var r = new double[4, 4];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                double s = 0;
                for (var k = 0; k < 4; k++)
                {
                    s += a[i, k] * b[k, j];
                }

                r[i, j] = s;
            }
        }

        return r;
    }

    /// <summary>The general inverse (Gauss-Jordan with partial pivoting, as np.linalg.inv).</summary>
    /// <exception cref="ArgumentException">The matrix is singular.</exception>
    public static double[,] Inverse(double[,] m)
    {
        Check(m);
        var a = new double[4, 8];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                a[i, j] = m[i, j];
            }

            a[i, 4 + i] = 1;
        }

        for (var col = 0; col < 4; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < 4; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                {
                    pivot = r;
                }
            }

            if (Math.Abs(a[pivot, col]) < 1e-300)
            {
                throw new ArgumentException("The matrix is singular.", nameof(m));
            }

            if (pivot != col)
            {
                for (var j = 0; j < 8; j++)
                {
                    (a[col, j], a[pivot, j]) = (a[pivot, j], a[col, j]);
                }
            }

            var p = a[col, col];
            for (var j = 0; j < 8; j++)
            {
                a[col, j] /= p;
            }

            for (var r = 0; r < 4; r++)
            {
                if (r == col || a[r, col] == 0)
                {
                    continue;
                }

                var f = a[r, col];
                for (var j = 0; j < 8; j++)
                {
                    a[r, j] -= f * a[col, j];
                }
            }
        }

        var inv = new double[4, 4];
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                inv[i, j] = a[i, 4 + j];
            }
        }

        return inv;
    }

    private static void Check(double[,] m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.GetLength(0) != 4 || m.GetLength(1) != 4)
        {
            throw new ArgumentException($"Expected a 4x4 matrix, got {m.GetLength(0)}x{m.GetLength(1)}.");
        }
    }
}
