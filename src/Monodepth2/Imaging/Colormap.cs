namespace Monodepth2.Imaging;

/// <summary>Colour maps for showing disparity or depth as a picture.</summary>
public static class Colormap
{
    // Nine anchors along matplotlib's perceptually uniform "magma" map (black-purple-orange-cream), at t = 0, 1/8, ..., 1.
    private static readonly float[,] MagmaAnchors =
    {
        { 0.001f, 0.000f, 0.014f },
        { 0.113f, 0.065f, 0.277f },
        { 0.316f, 0.072f, 0.485f },
        { 0.513f, 0.148f, 0.508f },
        { 0.716f, 0.215f, 0.475f },
        { 0.902f, 0.316f, 0.388f },
        { 0.987f, 0.536f, 0.382f },
        { 0.996f, 0.780f, 0.524f },
        { 0.987f, 0.991f, 0.750f },
    };

    /// <summary>The magma colour of <paramref name="t"/> in [0, 1] (clamped), linearly interpolated between anchors.</summary>
    public static (float R, float G, float B) Magma(double t)
    {
        var x = Math.Clamp(t, 0, 1) * 8;
        var i = Math.Min((int)x, 7);
        var f = (float)(x - i);
        return (Lerp(MagmaAnchors[i, 0], MagmaAnchors[i + 1, 0], f),
                Lerp(MagmaAnchors[i, 1], MagmaAnchors[i + 1, 1], f),
                Lerp(MagmaAnchors[i, 2], MagmaAnchors[i + 1, 2], f));
    }

    /// <summary>
    /// Colours a disparity map as the reference's test_simple does: magma, from the map's minimum to its 95th
    /// percentile (brighter = nearer). Non-finite values are drawn black.
    /// </summary>
    public static RgbImage DisparityToMagma(float[] disparity, int width, int height)
    {
        var finite = disparity.Where(float.IsFinite).ToArray();
        if (finite.Length == 0)
        {
            return new RgbImage(width, height);
        }

        Array.Sort(finite);
        var vmin = finite[0];
        var vmax = Percentile(finite, 95);
        var range = Math.Max(vmax - vmin, 1e-12);
        var image = new RgbImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var d = disparity[(y * width) + x];
                var (r, g, b) = float.IsFinite(d) ? Magma((d - vmin) / range) : (0f, 0f, 0f);
                image.SetPixel(x, y, r, g, b);
            }
        }

        return image;
    }

    /// <summary>Linear-interpolation percentile of sorted values (numpy's default method).</summary>
    public static double Percentile(float[] sorted, double percent)
    {
        var pos = (sorted.Length - 1) * percent / 100.0;
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (pos - lo));
    }

    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);
}
