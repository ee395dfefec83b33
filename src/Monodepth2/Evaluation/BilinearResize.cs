namespace Monodepth2.Evaluation;

/// <summary>
/// Bilinear resizing of a single-channel float map as OpenCV's <c>cv2.resize(..., INTER_LINEAR)</c> does it for float
/// images: pixel centres aligned (source x = (x + 0.5) * in / out - 0.5), coordinates clamped at the borders, no
/// antialiasing when shrinking. The same as PyTorch's bilinear interpolate with align_corners = false.
/// </summary>
public static class BilinearResize
{
    /// <summary>Resizes a row-major [H, W] map to [outHeight, outWidth].</summary>
    public static float[] Resize(ReadOnlySpan<float> source, int width, int height, int outWidth, int outHeight)
    {
        if (height <= 0 || width <= 0 || outHeight <= 0 || outWidth <= 0)
        {
            throw new ArgumentException($"Sizes must be positive (from {width} x {height} to {outWidth} x {outHeight}).");
        }

        if (source.Length != height * width)
        {
            throw new ArgumentException($"Expected {height * width} values for {width} x {height}, got {source.Length}.");
        }

        if (height == outHeight && width == outWidth)
        {
            return source.ToArray();
        }

        var (x0, x1, fx) = Taps(width, outWidth);
        var (y0, y1, fy) = Taps(height, outHeight);
        var result = new float[outHeight * outWidth];
        for (var y = 0; y < outHeight; y++)
        {
            var rowA = y0[y] * width;
            var rowB = y1[y] * width;
            var wy = fy[y];
            for (var x = 0; x < outWidth; x++)
            {
                var wx = fx[x];
                var top = ((1 - wx) * source[rowA + x0[x]]) + (wx * source[rowA + x1[x]]);
                var bottom = ((1 - wx) * source[rowB + x0[x]]) + (wx * source[rowB + x1[x]]);
                result[(y * outWidth) + x] = (float)(((1 - wy) * top) + (wy * bottom));
            }
        }

        return result;
    }

    private static (int[] Lo, int[] Hi, double[] Weight) Taps(int size, int outSize)
    {
        var scale = (double)size / outSize;
        var lo = new int[outSize];
        var hi = new int[outSize];
        var w = new double[outSize];
        for (var i = 0; i < outSize; i++)
        {
            var src = ((i + 0.5) * scale) - 0.5;
            var s = (int)Math.Floor(src);
            var f = src - s;
            if (s < 0)
            {
                s = 0;
                f = 0;
            }

            if (s >= size - 1)
            {
                s = size - 1;
                f = 0;
            }

            lo[i] = s;
            hi[i] = Math.Min(s + 1, size - 1);
            w[i] = f;
        }

        return (lo, hi, w);
    }
}
