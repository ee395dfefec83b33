namespace Monodepth2.Evaluation;

/// <summary>
/// The reference's <c>batch_post_process_disparity</c>: blends the disparity of an image with the flipped-back
/// disparity of its mirror image. With x = linspace(0, 1, w) per column, l_mask = 1 - clip(20 (x - 0.05), 0, 1) and
/// r_mask = l_mask mirrored, result = r_mask * left + l_mask * right + (1 - l_mask - r_mask) * (left + right) / 2,
/// so the left border comes from the mirrored prediction, the right border from the plain one, the rest is their mean.
/// </summary>
public static class DisparityPostProcessing
{
    /// <summary>l_mask for a width: 1 - clip(20 (x - 0.05), 0, 1) with x = linspace(0, 1, width) as NumPy computes it.</summary>
    public static double[] LeftMask(int width)
    {
        if (width <= 0)
        {
            throw new ArgumentException($"Width must be positive (got {width}).", nameof(width));
        }

        var mask = new double[width];
        var step = width > 1 ? 1.0 / (width - 1) : 0;
        for (var k = 0; k < width; k++)
        {
            var x = width > 1 && k == width - 1 ? 1.0 : k * step;
            mask[k] = 1.0 - Math.Clamp(20 * (x - 0.05), 0, 1);
        }

        return mask;
    }

    /// <summary>
    /// Blends one image's disparities, row major [H, W]: <paramref name="left"/> predicted on the image,
    /// <paramref name="rightFlippedBack"/> predicted on its mirror image and mirrored back.
    /// </summary>
    public static float[] Blend(ReadOnlySpan<float> left, ReadOnlySpan<float> rightFlippedBack, int width, int height)
    {
        if (left.Length != height * width || rightFlippedBack.Length != height * width)
        {
            throw new ArgumentException($"Expected {height * width} values for {width} x {height}, got {left.Length} and {rightFlippedBack.Length}.");
        }

        var lMask = LeftMask(width);
        var result = new float[height * width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                var l = lMask[x];
                var r = lMask[width - 1 - x];
                double a = left[i], b = rightFlippedBack[i];
                result[i] = (float)((r * a) + (l * b) + ((1.0 - l - r) * 0.5 * (a + b)));
            }
        }

        return result;
    }

    /// <summary>Mirrors a row-major [H, W] map left to right.</summary>
    public static float[] FlipHorizontal(ReadOnlySpan<float> map, int width, int height)
    {
        var result = new float[map.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                result[(y * width) + x] = map[(y * width) + width - 1 - x];
            }
        }

        return result;
    }
}
