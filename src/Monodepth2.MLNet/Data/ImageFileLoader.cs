using Microsoft.ML.Data;
using Monodepth2.Imaging;
using SixLabors.ImageSharp.PixelFormats;

namespace Monodepth2.MLNet.Data;

/// <summary>
/// Reads an image file into an <see cref="MLImage"/> (Rgba32, opaque) through the library's one reader,
/// <see cref="ImageFiles.Load{TPixel}"/>: errors name the file (missing, unreadable, not an image, a JPEG that ends
/// before its end-of-image marker, more than <see cref="MaxPixels"/> pixels). Any bit depth and colour type the decoder
/// knows (grey, grey + alpha, RGB, RGBA, 16-bit) becomes 8-bit RGBA.
/// </summary>
public static class ImageFileLoader
{
    /// <summary>Largest image accepted, in pixels: <see cref="ImageFiles.MaxPixels"/>.</summary>
    public const long MaxPixels = ImageFiles.MaxPixels;

    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a readable image, truncated, or too large; the message names the file.</exception>
    public static MLImage Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var image = ImageFiles.Load<Rgba32>(path);
        var pixels = new byte[4L * image.Width * image.Height];
        image.CopyPixelDataTo(pixels);
        for (var i = 3; i < pixels.Length; i += 4)
        {
            pixels[i] = 255; // depth ignores transparency: score the colour as it is
        }

        return MLImage.CreateFromPixels(image.Width, image.Height, MLPixelFormat.Rgba32, pixels);
    }
}
