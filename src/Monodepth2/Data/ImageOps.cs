using Monodepth2.Imaging;

namespace Monodepth2.Data;

/// <summary>Image operations of the training pipeline: horizontal flip and the scale pyramid.</summary>
public static class ImageOps
{
    /// <summary>A copy of <paramref name="image"/> mirrored left to right.</summary>
    public static RgbImage FlipHorizontal(RgbImage image)
    {
        var w = image.Width;
        var src = image.Data;
        var dst = new float[src.Length];
        var rows = 3 * image.Height;
        for (var r = 0; r < rows; r++)
        {
            var o = r * w;
            for (var x = 0; x < w; x++)
            {
                dst[o + x] = src[o + w - 1 - x];
            }
        }

        return new RgbImage(w, image.Height, dst);
    }

    /// <summary>
    /// The pyramid of <paramref name="full"/> (level 0, returned as is) with <paramref name="scales"/> levels: level s
    /// is (W / 2^s) x (H / 2^s), resized with Lanczos-3 from level s - 1, as the reference does.
    /// </summary>
    public static IReadOnlyList<RgbImage> Pyramid(RgbImage full, int scales)
    {
        var levels = new RgbImage[scales];
        levels[0] = full;
        for (var s = 1; s < scales; s++)
        {
            levels[s] = ImageFiles.Resize(levels[s - 1], full.Width >> s, full.Height >> s);
        }

        return levels;
    }
}
