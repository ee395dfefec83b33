using System.Buffers.Binary;
using Monodepth2.Imaging;

namespace Monodepth2.Testing;

/// <summary>
/// A seeded corpus of mutated JPEG and PNG files made from a few valid images (written with
/// <see cref="ImageFiles.WriteRgbJpeg"/> and <see cref="ImageFiles.WriteRgbPng"/>): bit flips, truncations, huge declared
/// sizes, wrong chunk or segment lengths, random bytes. File names are <c>NNNN-kind-seed.ext</c>.
/// CI uses <see cref="ReducedCount"/> files; <c>MD2_HOSTILE_FULL=1</c> selects <see cref="FullCount"/>.
/// </summary>
public static class HostileImageCorpus
{
    /// <summary>Files in the reduced (CI) corpus.</summary>
    public const int ReducedCount = 100;

    /// <summary>Files in the full corpus.</summary>
    public const int FullCount = 520;

    /// <summary>The mutation kinds, in the order files cycle through them.</summary>
    public static readonly string[] Kinds = ["bitflip", "truncate", "hugesize", "chunklength", "randombytes"];

    /// <summary>The corpus size for this run: <see cref="FullCount"/> when MD2_HOSTILE_FULL=1, else <see cref="ReducedCount"/>.</summary>
    public static int Count => Environment.GetEnvironmentVariable("MD2_HOSTILE_FULL") == "1" ? FullCount : ReducedCount;

    /// <summary>The kind of a corpus file, from its name.</summary>
    public static string KindOf(string path) => Path.GetFileName(path).Split('-')[1];

    /// <summary>Writes <paramref name="count"/> mutated files into <paramref name="folder"/> and returns their paths.</summary>
    public static IReadOnlyList<string> Write(string folder, int count, int seed = 14)
    {
        Directory.CreateDirectory(folder);
        var seeds = new List<(string Name, byte[] Bytes)>();
        foreach (var (w, h) in new[] { (64, 48), (40, 40), (96, 32) })
        {
            var image = Pattern(w, h, seed + w);
            foreach (var ext in new[] { ".jpg", ".png" })
            {
                var path = Path.Combine(folder, $"seed-{w}x{h}{ext}");
                if (ext == ".jpg")
                {
                    ImageFiles.WriteRgbJpeg(image, path);
                }
                else
                {
                    ImageFiles.WriteRgbPng(image, path);
                }

                seeds.Add(($"{w}x{h}{ext}", File.ReadAllBytes(path)));
                File.Delete(path);
            }
        }

        var files = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = Kinds[i % Kinds.Length];
            var (name, original) = seeds[(i / Kinds.Length) % seeds.Count];
            var random = new Random(seed * 100_003 + i);
            var bytes = Mutate(kind, (byte[])original.Clone(), name.EndsWith(".png", StringComparison.Ordinal), random);
            var path = Path.Combine(folder, $"{i:D4}-{kind}-{name}");
            File.WriteAllBytes(path, bytes);
            files.Add(path);
        }

        return files;
    }

    /// <summary>One line per kind: files scored and files reported (refused with a message naming them).</summary>
    public static string Summary(IEnumerable<(string Path, bool Scored)> outcomes)
    {
        var lines = outcomes.GroupBy(o => KindOf(o.Path)).OrderBy(g => Array.IndexOf(Kinds, g.Key))
            .Select(g => $"{g.Key}: {g.Count(o => o.Scored)} scored, {g.Count(o => !o.Scored)} reported").ToList();
        lines.Add($"total: {outcomes.Count(o => o.Scored)} scored, {outcomes.Count(o => !o.Scored)} reported");
        return string.Join(Environment.NewLine, lines);
    }

    private static RgbImage Pattern(int w, int h, int seed)
    {
        var random = new Random(seed);
        var image = new RgbImage(w, h);
        for (var c = 0; c < 3; c++)
        {
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    image.Data[(c * w * h) + (y * w) + x] = (float)Math.Clamp((0.5 + (0.4 * Math.Sin((x * (c + 1) * 0.2) + (y * 0.1)))) + (0.1 * random.NextDouble()), 0, 1);
                }
            }
        }

        return image;
    }

    private static byte[] Mutate(string kind, byte[] bytes, bool png, Random random)
    {
        switch (kind)
        {
            case "bitflip":
                for (int n = random.Next(1, 21), k = 0; k < n; k++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case "truncate":
                return bytes[..random.Next(bytes.Length)];
            case "hugesize":
                return png ? HugePng(bytes, random) : HugeJpeg(bytes, random);
            case "chunklength":
                return png ? PngChunkLength(bytes, random) : JpegSegmentLength(bytes, random);
            default:
                if (random.Next(4) == 0)
                {
                    // Random bytes behind the format's own signature.
                    var header = png ? 8 : 2;
                    var whole = new byte[random.Next(header, 4096)];
                    random.NextBytes(whole);
                    bytes.AsSpan(0, header).CopyTo(whole);
                    return whole;
                }

                var start = random.Next(bytes.Length);
                random.NextBytes(bytes.AsSpan(start, Math.Min(bytes.Length - start, random.Next(1, 256))));
                return bytes;
        }
    }

    private static readonly int[] HugeSides = [65535, 46341, 30000, 16384, 12000, 1 << 20, int.MaxValue];

    private static byte[] HugePng(byte[] bytes, Random random)
    {
        // IHDR: width at 16, height at 20, CRC at 29; the CRC is fixed in half the files so the size itself is tested.
        var span = bytes.AsSpan();
        if (random.Next(2) == 0)
        {
            BinaryPrimitives.WriteInt32BigEndian(span[16..], HugeSides[random.Next(HugeSides.Length)]);
        }

        BinaryPrimitives.WriteInt32BigEndian(span[20..], HugeSides[random.Next(HugeSides.Length)]);
        if (random.Next(2) == 0)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[29..], Crc32(span[12..29]));
        }

        return bytes;
    }

    private static byte[] HugeJpeg(byte[] bytes, Random random)
    {
        foreach (var (offset, marker, _) in JpegSegments(bytes))
        {
            if (marker is 0xC0 or 0xC1 or 0xC2)
            {
                // SOFn: length (2), precision (1), height (2), width (2).
                var side = () => (ushort)Math.Min(65535, HugeSides[random.Next(HugeSides.Length)]);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(offset + 5), side());
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(offset + 7), random.Next(2) == 0 ? side() : (ushort)random.Next(1, 65536));
                break;
            }
        }

        return bytes;
    }

    private static byte[] PngChunkLength(byte[] bytes, Random random)
    {
        var chunks = new List<int>();
        for (var at = 8; at + 8 <= bytes.Length;)
        {
            chunks.Add(at);
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            if (length > (uint)bytes.Length)
            {
                break;
            }

            at += 12 + (int)length;
        }

        var chunk = chunks[random.Next(chunks.Count)];
        var old = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(chunk));
        uint[] choices = [0, 1, old - 1, old + 1, old * 2, 0x7FFFFFFF, 0xFFFFFFFF, (uint)random.Next()];
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(chunk), choices[random.Next(choices.Length)]);
        return bytes;
    }

    private static byte[] JpegSegmentLength(byte[] bytes, Random random)
    {
        var segments = JpegSegments(bytes).ToList();
        var (offset, _, length) = segments[random.Next(segments.Count)];
        int[] choices = [0, 1, 2, length - 1, length + 1, length * 2, 65535, random.Next(65536)];
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(offset + 2), (ushort)Math.Clamp(choices[random.Next(choices.Length)], 0, 65535));
        return bytes;
    }

    /// <summary>Marker segments from SOI up to and including SOS: offset of the FF, marker byte, length field.</summary>
    private static IEnumerable<(int Offset, byte Marker, int Length)> JpegSegments(byte[] bytes)
    {
        for (var at = 2; at + 4 <= bytes.Length && bytes[at] == 0xFF;)
        {
            var marker = bytes[at + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(at + 2));
            yield return (at, marker, length);
            if (marker == 0xDA)
            {
                yield break;
            }

            at += 2 + length;
        }
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
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
