using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Monodepth2.Imaging;

/// <summary>
/// Reading and writing the image files Monodepth2 meets: colour frames (JPEG, PNG, any bit depth or channel count,
/// converted to 8-bit RGB) and KITTI depth-benchmark 16-bit PNGs (metres = value / 256, 0 = no measurement).
/// Every reader goes through <see cref="Load{TPixel}"/>, so every failure names the file and truncated JPEGs and
/// oversized images are refused everywhere.
/// </summary>
public static class ImageFiles
{
    /// <summary>KITTI depth PNG values per metre.</summary>
    public const double DepthPngScale = 256.0;

    /// <summary>Largest image accepted, in pixels (a 16k x 16k image): its RGBA copy takes 1 GiB.</summary>
    public const long MaxPixels = 16384L * 16384;

    // Raw pixel bits a file can hold per byte: deflate expands at most 1032-fold (8,256 bits of PNG rows a byte); a JPEG
    // spends at least a bit on each 8x8 block of 8-bit samples (512 bits a byte). Twice the larger bound: a header that
    // declares more is corrupt (or the data was cut), and refusing it spares decoding a few kilobytes into hundreds of
    // megabytes of mostly-empty pixels (ImageSharp fills what a PNG's data does not cover with zeros).
    private const long MaxRawBitsPerByte = 2 * 8 * 1032;

    /// <summary>Reads a colour image as RGB in [0, 1], optionally resized (Lanczos-3, as PIL's ANTIALIAS) to width x height.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable image.</exception>
    public static RgbImage ReadRgb(string path, int? width = null, int? height = null)
    {
        using var image = Load<Rgb24>(path);
        if (width is { } w && height is { } h && (image.Width != w || image.Height != h))
        {
            image.Mutate(x => x.Resize(w, h, KnownResamplers.Lanczos3));
        }

        return ToRgbImage(image);
    }

    /// <summary>Reads only the size of an image file (no pixel decoding).</summary>
    public static (int Width, int Height) ReadSize(string path)
    {
        EnsureExists(path);
        try
        {
            var info = Image.Identify(path) ?? throw new InvalidDataException($"{path}: not a recognised image format.");
            return (info.Width, info.Height);
        }
        catch (Exception ex) when (ex is not InvalidDataException && IsDecoderFailure(ex))
        {
            throw new InvalidDataException($"{path}: not a readable image ({ex.Message}).", ex);
        }
    }

    /// <summary>Resizes an RGB image with Lanczos-3 (8-bit quantisation in between, as PIL does).</summary>
    public static RgbImage Resize(RgbImage source, int width, int height)
    {
        if (source.Width == width && source.Height == height)
        {
            return new RgbImage(width, height, (float[])source.Data.Clone());
        }

        using var image = ToImageSharp(source);
        image.Mutate(x => x.Resize(width, height, KnownResamplers.Lanczos3));
        return ToRgbImage(image);
    }

    /// <summary>Writes an RGB image as an 8-bit PNG (values clamped to [0, 1]); the folder is created if needed.</summary>
    public static void WriteRgbPng(RgbImage source, string path)
    {
        using var image = ToImageSharp(source);
        CreateFolderFor(path);
        // Fast compression: about 3.5x quicker than the default level for about 15 % larger files.
        image.SaveAsPng(path, new PngEncoder { CompressionLevel = PngCompressionLevel.Level1 });
    }

    /// <summary>Writes an RGB image as JPEG with the given quality; the folder is created if needed.</summary>
    public static void WriteRgbJpeg(RgbImage source, string path, int quality = 95)
    {
        using var image = ToImageSharp(source);
        CreateFolderFor(path);
        image.SaveAsJpeg(path, new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = quality });
    }

    /// <summary>
    /// Writes depth in metres ([H, W] row major) as a KITTI 16-bit PNG: round(depth * 256), 0 where the depth is not
    /// finite, not positive, or beyond 65535 / 256 m.
    /// </summary>
    public static void WriteDepthPng(float[] depth, int width, int height, string path)
    {
        if (depth.Length != width * height)
        {
            throw new ArgumentException($"Expected {width * height} depth values, got {depth.Length}.", nameof(depth));
        }

        using var image = new Image<L16>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < width; x++)
                {
                    var d = depth[(y * width) + x];
                    var v = float.IsFinite(d) && d > 0 ? Math.Round(d * DepthPngScale) : 0;
                    row[x] = new L16(v is > 0 and <= ushort.MaxValue ? (ushort)v : (ushort)0);
                }
            }
        });
        CreateFolderFor(path);
        image.SaveAsPng(path, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Grayscale });
    }

    /// <summary>Reads a KITTI 16-bit depth PNG as metres ([H, W] row major; 0 = no measurement).</summary>
    /// <exception cref="InvalidDataException">The file is not a 16-bit single-channel PNG.</exception>
    public static (float[] Depth, int Width, int Height) ReadDepthPng(string path)
    {
        EnsureExists(path);
        try
        {
            var info = Image.Identify(path);
            if (info?.Metadata.GetPngMetadata() is not { } png || png.BitDepth != PngBitDepth.Bit16 ||
                png.ColorType is not (PngColorType.Grayscale or null))
            {
                throw new InvalidDataException($"{path}: not a KITTI depth map (a 16-bit grayscale PNG is needed).");
            }
        }
        catch (Exception ex) when (ex is not InvalidDataException && IsDecoderFailure(ex))
        {
            throw new InvalidDataException($"{path}: not a readable depth PNG ({ex.Message}).", ex);
        }

        using var image = Load<L16>(path);
        var depth = new float[image.Width * image.Height];
        var w = image.Width;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    depth[(y * w) + x] = (float)(row[x].PackedValue / DepthPngScale);
                }
            }
        });
        return (depth, image.Width, image.Height);
    }

    /// <summary>
    /// Reads and decodes an image file as <typeparamref name="TPixel"/> (any bit depth or channel count the decoder
    /// knows is converted), refusing what decoders would otherwise accept silently or fail on late: a JPEG without its
    /// end-of-image marker (a truncated download, decoded as a half-grey picture) and an image of more than
    /// <see cref="MaxPixels"/> pixels (checked from the header, before any pixel memory is allocated).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Unreadable, not an image, truncated, or too large; the message names the file.</exception>
    public static Image<TPixel> Load<TPixel>(string path)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        EnsureExists(path);
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

        IImageInfo? info;
        try
        {
            info = Image.Identify(bytes);
        }
        catch (Exception ex) when (IsDecoderFailure(ex))
        {
            throw new InvalidDataException($"{path}: not a readable image ({ex.Message}).", ex);
        }

        if (info is null)
        {
            throw new InvalidDataException($"{path}: not a recognised image format.");
        }

        if ((long)info.Width * info.Height > MaxPixels)
        {
            throw new InvalidDataException($"{path}: image is {info.Width} x {info.Height}, more than the {MaxPixels:N0} pixels accepted.");
        }

        if ((long)info.Width * info.Height * Math.Max(1, info.PixelType.BitsPerPixel) > MaxRawBitsPerByte * bytes.Length)
        {
            throw new InvalidDataException($"{path}: the header declares {info.Width} x {info.Height} pixels, more than {bytes.Length:N0} bytes can hold (a corrupt header or a cut file).");
        }

        try
        {
            return Image.Load<TPixel>(bytes);
        }
        catch (Exception ex) when (IsDecoderFailure(ex))
        {
            throw new InvalidDataException($"{path}: not a readable image ({ex.Message}).", ex);
        }
    }

    // UnknownImageFormatException and InvalidImageContentException are ImageFormatExceptions; corrupt zlib data in a
    // PNG surfaces as InvalidDataException. Mutated files also make ImageSharp 3's decoders throw what they were not
    // written to throw (a NullReferenceException from JpegDecoderCore.Identify for a JPEG segment of the wrong length,
    // found by the hostile-image corpus): on untrusted bytes, anything but cancellation and running out of memory is the
    // file's fault.
    private static bool IsDecoderFailure(Exception ex) => ex is not (OperationCanceledException or OutOfMemoryException);

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

    private static void EnsureExists(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: file not found.", path);
        }
    }

    private static void CreateFolderFor(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    private static RgbImage ToRgbImage(Image<Rgb24> image)
    {
        var result = new RgbImage(image.Width, image.Height);
        var data = result.Data;
        var plane = image.Width * image.Height;
        var w = image.Width;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var i = (y * w) + x;
                    data[i] = row[x].R / 255f;
                    data[plane + i] = row[x].G / 255f;
                    data[(2 * plane) + i] = row[x].B / 255f;
                }
            }
        });
        return result;
    }

    private static Image<Rgb24> ToImageSharp(RgbImage source)
    {
        var image = new Image<Rgb24>(source.Width, source.Height);
        var data = source.Data;
        var plane = source.Width * source.Height;
        var w = source.Width;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    var i = (y * w) + x;
                    row[x] = new Rgb24(RgbImage.ToByte(data[i]), RgbImage.ToByte(data[plane + i]), RgbImage.ToByte(data[(2 * plane) + i]));
                }
            }
        });
        return image;
    }
}
