using System.Buffers.Binary;
using System.IO.Compression;
using Monodepth2.Imaging;

namespace Monodepth2.Tests.Imaging;

public sealed class ImageFilesTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-img-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void DepthPngRoundTripsAtOneTwoHundredFiftySixthMetre()
    {
        float[] depth = [0f, 1f, 2.5f, 80.001f, -3f, float.NaN];
        var path = Path.Combine(dir, "d.png");
        ImageFiles.WriteDepthPng(depth, 3, 2, path);
        var (read, w, h) = ImageFiles.ReadDepthPng(path);
        Assert.Equal((3, 2), (w, h));
        Assert.Equal(new[] { 0f, 1f, 2.5f, (float)(Math.Round(80.001 * 256) / 256), 0f, 0f }, read);
    }

    [Fact]
    public void DepthPngReaderAcceptsAPngWrittenByHand()
    {
        // A 2x1 16-bit grayscale PNG assembled from the PNG specification, not by ImageSharp: values 256 and 1000.
        var path = Path.Combine(dir, "hand.png");
        File.WriteAllBytes(path, HandMadePng16([256, 1000]));
        var (read, w, h) = ImageFiles.ReadDepthPng(path);
        Assert.Equal((2, 1), (w, h));
        Assert.Equal(new[] { 1f, 1000f / 256f }, read);
    }

    [Fact]
    public void RgbPngRoundTripsToEightBits()
    {
        var img = new RgbImage(2, 1);
        img.SetPixel(0, 0, 1f, 0f, 0.5f);
        img.SetPixel(1, 0, 0.25f, 0.75f, 0f);
        var path = Path.Combine(dir, "c.png");
        ImageFiles.WriteRgbPng(img, path);
        var read = ImageFiles.ReadRgb(path);
        Assert.Equal(new[] { 1f, 64 / 255f, 0f, 191 / 255f, 128 / 255f, 0f }, read.Data);
    }

    [Fact]
    public void TruncatedJpegNamesTheFile()
    {
        var img = new RgbImage(64, 48);
        var path = Path.Combine(dir, "t.jpg");
        ImageFiles.WriteRgbJpeg(img, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        var ex = Assert.ThrowsAny<Exception>(() => ImageFiles.ReadRgb(path));
        Assert.True(ex is InvalidDataException, ex.GetType().Name + ": " + ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void JpegCutInHalfIsRefusedNotDecodedAsHalfGrey()
    {
        // A textured picture: decoders fill the missing second half of a cut JPEG with grey and report success.
        var img = Textured(96, 64);
        var path = Path.Combine(dir, "half.jpg");
        ImageFiles.WriteRgbJpeg(img, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<InvalidDataException>(() => ImageFiles.ReadRgb(path, 48, 32));
        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => ImageFiles.Load<SixLabors.ImageSharp.PixelFormats.Rgba32>(path)).Message);
    }

    [Fact]
    public void DeclaredHugePngIsRefusedFromItsHeader()
    {
        // A PNG whose header declares 100000 x 100000 RGB pixels (30 GB decoded) but holds one tiny data chunk: the
        // size check must come from the header, before any pixel buffer is allocated.
        var path = Path.Combine(dir, "huge.png");
        File.WriteAllBytes(path, HandMadePng(100_000, 100_000, bitDepth: 8, colourType: 2, ZLib(new byte[16])));
        var ex = Assert.Throws<InvalidDataException>(() => ImageFiles.ReadRgb(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("100000 x 100000", ex.Message);
        var depth = Path.Combine(dir, "huge16.png");
        File.WriteAllBytes(depth, HandMadePng(100_000, 100_000, bitDepth: 16, colourType: 0, ZLib(new byte[16])));
        Assert.Contains("100000 x 100000", Assert.Throws<InvalidDataException>(() => ImageFiles.ReadDepthPng(depth)).Message);
    }

    [Fact]
    public void ValidJpegReadsCloseToWhatWasWritten()
    {
        // One flat colour survives JPEG at quality 95 to within a couple of 8-bit steps.
        var img = new RgbImage(32, 16);
        for (var y = 0; y < 16; y++)
        {
            for (var x = 0; x < 32; x++)
            {
                img.SetPixel(x, y, 200 / 255f, 100 / 255f, 50 / 255f);
            }
        }

        var path = Path.Combine(dir, "flat.jpg");
        ImageFiles.WriteRgbJpeg(img, path);
        var read = ImageFiles.ReadRgb(path);
        Assert.Equal((32, 16), (read.Width, read.Height));
        Assert.All(read.Data.Select((v, i) => Math.Abs(v - img.Data[i]) * 255), d => Assert.True(d <= 3, $"off by {d} steps"));
    }

    [Fact]
    public void ToByteRoundsToNearestAndClamps()
    {
        Assert.Equal(0, RgbImage.ToByte(-0.2f));
        Assert.Equal(0, RgbImage.ToByte(0.001f));
        Assert.Equal(64, RgbImage.ToByte(0.25f)); // 63.75
        Assert.Equal(191, RgbImage.ToByte(0.75f)); // 191.25
        Assert.Equal(255, RgbImage.ToByte(1f));
        Assert.Equal(255, RgbImage.ToByte(3f));
    }

    [Fact]
    public void MissingFileAndNonImageNameTheFile()
    {
        var missing = Path.Combine(dir, "nope.png");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => ImageFiles.ReadRgb(missing)).Message);
        var text = Path.Combine(dir, "text.png");
        File.WriteAllText(text, "not an image");
        Assert.Contains(text, Assert.Throws<InvalidDataException>(() => ImageFiles.ReadRgb(text)).Message);
    }

    [Fact]
    public void ColourPngIsNotADepthMap()
    {
        var path = Path.Combine(dir, "rgb.png");
        ImageFiles.WriteRgbPng(new RgbImage(4, 4), path);
        Assert.Contains("16-bit", Assert.Throws<InvalidDataException>(() => ImageFiles.ReadDepthPng(path)).Message);
    }

    private static RgbImage Textured(int width, int height)
    {
        var img = new RgbImage(width, height);
        var rng = new Random(7);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                img.SetPixel(x, y, (float)rng.NextDouble(), ((x * 7) + (y * 3)) % 256 / 255f, y / (float)(height - 1));
            }
        }

        return img;
    }

    private static byte[] HandMadePng16(ushort[] row)
    {
        var raw = new byte[1 + (2 * row.Length)];
        for (var i = 0; i < row.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(1 + (2 * i)), row[i]);
        }

        return HandMadePng(row.Length, 1, bitDepth: 16, colourType: 0, ZLib(raw));
    }

    /// <summary>Signature, IHDR (the given size, bit depth and colour type), one IDAT, IEND, as the PNG specification lays them out.</summary>
    private static byte[] HandMadePng(int width, int height, byte bitDepth, byte colourType, byte[] idat)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colourType; // 0 grayscale, 2 RGB
        Chunk(ms, "IHDR", ihdr);
        Chunk(ms, "IDAT", idat);
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static byte[] ZLib(byte[] raw)
    {
        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true))
        {
            zs.Write(raw);
        }

        return z.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typeBytes.Concat(data).ToArray()));
        s.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
