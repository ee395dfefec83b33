using Microsoft.ML.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Monodepth2.MLNet.Data;

/// <summary>
/// Reads an image file into an <see cref="MLImage"/> (Rgba32) with errors that name the file: missing, unreadable, not
/// an image, or a JPEG that ends before its end-of-image marker (a truncated download, which decoders otherwise
/// fill in silently). Any bit depth and colour type the decoder knows (grey, grey + alpha, RGB, RGBA, 16-bit) becomes
/// 8-bit RGBA.
/// </summary>
public static class ImageFileLoader
{
    /// <summary>Largest image accepted, in pixels (a 16k x 16k image): its RGBA copy takes 1 GiB.</summary>
    public const long MaxPixels = 16384L * 16384;

    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a readable image, truncated, or too large; the message names the file.</exception>
    public static MLImage Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found.", path);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InvalidDataException($"{path}: cannot be read ({ex.Message}).", ex);
        }

        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xD8 && !HasJpegEnd(bytes))
        {
            throw new InvalidDataException($"{path}: truncated JPEG (no end-of-image marker after {bytes.Length} bytes).");
        }

        try
        {
            var info = Image.Identify(bytes) ?? throw new InvalidDataException($"{path}: not a recognised image format.");
            if ((long)info.Width * info.Height > MaxPixels)
            {
                throw new InvalidDataException($"{path}: image is {info.Width} x {info.Height}, more than the {MaxPixels:N0} pixels accepted.");
            }

            using var image = Image.Load<Rgba32>(bytes);
            var pixels = new byte[4L * image.Width * image.Height];
            image.CopyPixelDataTo(pixels);
            for (var i = 3; i < pixels.Length; i += 4)
            {
                pixels[i] = 255; // depth ignores transparency: score the colour as it is
            }

            return MLImage.CreateFromPixels(image.Width, image.Height, MLPixelFormat.Rgba32, pixels);
        }
        catch (Exception ex) when (ex is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or NotSupportedException)
        {
            throw new InvalidDataException($"{path}: not a readable image ({ex.Message}).", ex);
        }
    }

    private static bool HasJpegEnd(byte[] bytes)
    {
        for (var i = bytes.Length - 2; i >= Math.Max(0, bytes.Length - 1024); i--)
        {
            if (bytes[i] == 0xFF && bytes[i + 1] == 0xD9)
            {
                return true;
            }
        }

        return false;
    }
}
