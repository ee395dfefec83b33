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

    private static byte[] HandMadePng16(ushort[] row)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, row.Length);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), 1);
        ihdr[8] = 16; // bit depth
        ihdr[9] = 0;  // grayscale
        Chunk(ms, "IHDR", ihdr);
        var raw = new byte[1 + (2 * row.Length)];
        for (var i = 0; i < row.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(1 + (2 * i)), row[i]);
        }

        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true))
        {
            zs.Write(raw);
        }

        Chunk(ms, "IDAT", z.ToArray());
        Chunk(ms, "IEND", []);
        return ms.ToArray();
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
