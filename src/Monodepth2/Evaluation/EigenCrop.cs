namespace Monodepth2.Evaluation;

/// <summary>
/// The crop of Eigen et al. used for the Eigen split: rows [0.40810811 h, 0.99189189 h), columns
/// [0.03594771 w, 0.96405229 w), the bounds truncated to integers as the reference's <c>.astype(np.int32)</c> does
/// (375 x 1242 gives rows 153..370 and columns 44..1196).
/// </summary>
public static class EigenCrop
{
    /// <summary>The crop's fractions of the height (top, bottom) and width (left, right).</summary>
    public const double Top = 0.40810811, Bottom = 0.99189189, Left = 0.03594771, Right = 0.96405229;

    /// <summary>Row and column bounds; each range is half-open [start, end).</summary>
    public static (int RowStart, int RowEnd, int ColStart, int ColEnd) Bounds(int width, int height)
    {
        if (height <= 0 || width <= 0)
        {
            throw new ArgumentException($"Image size must be positive (got {width} x {height}).");
        }

        return ((int)(Top * height), (int)(Bottom * height), (int)(Left * width), (int)(Right * width));
    }

    /// <summary>The crop as a row-major [H, W] mask, true inside.</summary>
    public static bool[] Mask(int width, int height)
    {
        var (r0, r1, c0, c1) = Bounds(width, height);
        var mask = new bool[height * width];
        for (var y = r0; y < r1; y++)
        {
            mask.AsSpan((y * width) + c0, c1 - c0).Fill(true);
        }

        return mask;
    }
}
