using Microsoft.ML.Data;
using Monodepth2.Imaging;

namespace Monodepth2.MLNet.Data;

/// <summary>Conversion of ML.NET's <see cref="MLImage"/> to the library's planar <see cref="RgbImage"/>.</summary>
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
}
