namespace Monodepth2.Imaging;

/// <summary>
/// An RGB image as planar float32 values in [0, 1], laid out [3, H, W] (channel, row, column), the layout tensors use.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Wraps existing planar data of length 3 * <paramref name="height"/> * <paramref name="width"/>.</summary>
    public RgbImage(int width, int height, float[] data)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentException($"Image size must be positive (got {width} x {height}).");
        }

        if (data.Length != 3L * width * height)
        {
            throw new ArgumentException($"Expected {3L * width * height} values for a {width} x {height} RGB image, got {data.Length}.", nameof(data));
        }

        Width = width;
        Height = height;
        Data = data;
    }

    /// <summary>Creates a black image.</summary>
    public RgbImage(int width, int height) : this(width, height, new float[3 * width * height])
    {
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Planar values [3, H, W] in [0, 1].</summary>
    public float[] Data { get; }

    /// <summary>The 8-bit value of a channel value in [0, 1]: round(v * 255), clamped to [0, 255].</summary>
    public static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v * 255f), 0f, 255f);

    /// <summary>Index of channel <paramref name="c"/> at row <paramref name="y"/>, column <paramref name="x"/> in <see cref="Data"/>.</summary>
    public int IndexOf(int c, int y, int x) => (((c * Height) + y) * Width) + x;

    /// <summary>Sets one pixel (values are stored as given; keep them in [0, 1]).</summary>
    public void SetPixel(int x, int y, float r, float g, float b)
    {
        var plane = Width * Height;
        var i = (y * Width) + x;
        Data[i] = r;
        Data[plane + i] = g;
        Data[(2 * plane) + i] = b;
    }
}
