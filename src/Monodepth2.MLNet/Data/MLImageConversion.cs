using Microsoft.ML.Data;
using Monodepth2.Imaging;

namespace Monodepth2.MLNet.Data;

/// <summary>Conversions between ML.NET's <see cref="MLImage"/> and the library's planar <see cref="RgbImage"/>.</summary>
public static class MLImageConversion
{
    /// <summary>RGB in [0, 1] from a Bgra32 or Rgba32 image (alpha ignored).</summary>
    /// <exception cref="ArgumentException">The image has no pixels or an unknown pixel format.</exception>
    public static RgbImage ToRgb(MLImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (w, h) = (image.Width, image.Height);
        if (w <= 0 || h <= 0)
        {
            throw new ArgumentException($"The image has no pixels ({w} x {h}).", nameof(image));
        }

        var (r, b) = image.PixelFormat switch
        {
            MLPixelFormat.Bgra32 => (2, 0),
            MLPixelFormat.Rgba32 => (0, 2),
            var other => throw new ArgumentException($"Unsupported pixel format {other}; Bgra32 or Rgba32 is needed.", nameof(image)),
        };
        var pixels = image.Pixels;
        var rgb = new RgbImage(w, h);
        var data = rgb.Data;
        var plane = w * h;
        for (var i = 0; i < plane; i++)
        {
            data[i] = pixels[(4 * i) + r] / 255f;
            data[plane + i] = pixels[(4 * i) + 1] / 255f;
            data[(2 * plane) + i] = pixels[(4 * i) + b] / 255f;
        }

        return rgb;
    }

    /// <summary>An Rgba32 <see cref="MLImage"/> (opaque) from RGB in [0, 1], values rounded and clamped to bytes.</summary>
    public static MLImage ToMLImage(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = image.Width * image.Height;
        var bytes = new byte[4 * plane];
        var data = image.Data;
        for (var i = 0; i < plane; i++)
        {
            bytes[4 * i] = ToByte(data[i]);
            bytes[(4 * i) + 1] = ToByte(data[plane + i]);
            bytes[(4 * i) + 2] = ToByte(data[(2 * plane) + i]);
            bytes[(4 * i) + 3] = 255;
        }

        return MLImage.CreateFromPixels(image.Width, image.Height, MLPixelFormat.Rgba32, bytes);
    }

    private static byte ToByte(float v) => (byte)Math.Clamp(MathF.Round(v * 255f), 0f, 255f);
}
