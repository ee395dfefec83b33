namespace Monodepth2.Imaging;

/// <summary>Simple picture composition for reports.</summary>
public static class Composite
{
    /// <summary>Places images side by side (left to right), each resized to the first one's height, with a gap.</summary>
    public static RgbImage SideBySide(IReadOnlyList<RgbImage> images, int gap = 4)
    {
        if (images.Count == 0)
        {
            throw new ArgumentException("Nothing to compose.", nameof(images));
        }

        var height = images[0].Height;
        var scaled = images.Select(i => i.Height == height ? i : ImageFiles.Resize(i, Math.Max(1, (int)Math.Round(i.Width * (double)height / i.Height)), height)).ToList();
        var width = scaled.Sum(i => i.Width) + (gap * (scaled.Count - 1));
        var result = new RgbImage(width, height);
        Array.Fill(result.Data, 1f);
        var x0 = 0;
        foreach (var img in scaled)
        {
            for (var c = 0; c < 3; c++)
            {
                for (var y = 0; y < height; y++)
                {
                    Array.Copy(img.Data, img.IndexOf(c, y, 0), result.Data, result.IndexOf(c, y, x0), img.Width);
                }
            }

            x0 += img.Width + gap;
        }

        return result;
    }
}
