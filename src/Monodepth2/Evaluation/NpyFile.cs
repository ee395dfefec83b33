using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Monodepth2.Evaluation;

/// <summary>
/// NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0; little-endian float32 <c>'&lt;f4'</c> and float64
/// <c>'&lt;f8'</c>, C order) and <c>.npz</c> archives of them (stored or deflated zip entries named <c>key.npy</c>).
/// Object arrays (pickled), Fortran order, big-endian and other dtypes are refused with a message naming the file.
/// Layout: magic <c>\x93NUMPY</c>, major and minor version bytes, header length (uint16 LE for 1.0, uint32 LE for 2.0 and
/// 3.0), an ASCII (3.0: UTF-8) Python dict literal <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>
/// padded with spaces and ended by <c>'\n'</c> so the data starts at a multiple of 64 bytes, then the raw values.
/// </summary>
public static class NpyFile
{
    private const int Align = 64;
    private const int GrowthAxisMaxDigits = 21;
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads a <c>.npy</c> file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a supported .npy file; the message names it.</exception>
    public static NpyArray Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: .npy file not found.", path);
        }

        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads one array from a stream positioned at its magic string; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">Not a supported .npy stream.</exception>
    public static NpyArray Read(Stream stream, string source)
    {
        try
        {
            return ReadCore(stream, source);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"{source}: truncated .npy data ({ex.Message}).", ex);
        }
    }

    /// <summary>Writes a <c>.npy</c> file the way <c>numpy.save</c> does (version 1.0 unless the header needs 2.0).</summary>
    public static void Write(string path, NpyArray array)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        using var stream = File.Create(path);
        Write(stream, array);
    }

    /// <summary>Writes one array to a stream (header, then the values little-endian in C order).</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        stream.Write(Header(array.DType, array.Shape));
        EnsureLittleEndian();
        if (array.Float32 is { } f)
        {
            stream.Write(MemoryMarshal.AsBytes(f.AsSpan()));
        }
        else
        {
            stream.Write(MemoryMarshal.AsBytes(array.Float64!.AsSpan()));
        }
    }

    /// <summary>
    /// The header bytes <c>numpy.save</c> writes: magic, version, length, the dict with sorted keys, spare spaces for
    /// the first axis to grow to 21 digits, padding to a multiple of 64 bytes and <c>'\n'</c>.
    /// </summary>
    public static byte[] Header(NpyDType dtype, IReadOnlyList<long> shape)
    {
        var descr = dtype == NpyDType.Float32 ? "<f4" : "<f8";
        var text = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {ShapeRepr(shape)}, }}";
        if (shape.Count > 0)
        {
            text += new string(' ', GrowthAxisMaxDigits - shape[0].ToString(CultureInfo.InvariantCulture).Length);
        }

        var dict = Encoding.ASCII.GetBytes(text);
        var hlen = dict.Length + 1;
        var major = (byte)1;
        var prefix = 10;
        var pad = Align - ((prefix + hlen) % Align);
        if (hlen + pad > ushort.MaxValue)
        {
            major = 2;
            prefix = 12;
            pad = Align - ((prefix + hlen) % Align);
        }

        var result = new byte[prefix + hlen + pad];
        Magic.CopyTo(result, 0);
        result[6] = major;
        result[7] = 0;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)(hlen + pad));
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)(hlen + pad));
        }

        dict.CopyTo(result, prefix);
        result.AsSpan(prefix + dict.Length, pad).Fill((byte)' ');
        result[^1] = (byte)'\n';
        return result;
    }

    /// <summary>Reads every array of a <c>.npz</c> archive, keyed by entry name without <c>.npy</c>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a zip archive, or an entry is not a supported array; the message names the file and entry.</exception>
    public static IReadOnlyDictionary<string, NpyArray> ReadNpz(string path)
    {
        using var zip = OpenZip(path);
        var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            result[KeyOf(entry.FullName)] = ReadEntry(path, entry);
        }

        return result;
    }

    /// <summary>Reads the array <paramref name="key"/> of a <c>.npz</c> archive (entry <c>key.npy</c>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">No such key, or not a supported array; the message names the file, the key and the keys present.</exception>
    public static NpyArray ReadNpz(string path, string key)
    {
        using var zip = OpenZip(path);
        var entry = zip.Entries.FirstOrDefault(e => KeyOf(e.FullName) == key)
            ?? throw new InvalidDataException($"{path}: no array '{key}' in the archive (it holds: {string.Join(", ", zip.Entries.Select(e => "'" + KeyOf(e.FullName) + "'"))}).");
        return ReadEntry(path, entry);
    }

    /// <summary>Writes arrays as an uncompressed <c>.npz</c> archive (as <c>numpy.savez</c>), one <c>key.npy</c> entry each.</summary>
    public static void WriteNpz(string path, IReadOnlyDictionary<string, NpyArray> arrays, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        foreach (var (key, array) in arrays)
        {
            var entry = zip.CreateEntry(key + ".npy", compress ? CompressionLevel.Fastest : CompressionLevel.NoCompression);
            using var s = entry.Open();
            Write(s, array);
        }
    }

    internal static string ShapeRepr(IReadOnlyList<long> shape) => shape.Count switch
    {
        0 => "()",
        1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
        _ => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
    };

    private static string KeyOf(string entryName) =>
        entryName.EndsWith(".npy", StringComparison.Ordinal) ? entryName[..^4] : entryName;

    private static ZipArchive OpenZip(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: .npz file not found.", path);
        }

        var stream = File.OpenRead(path);
        try
        {
            return new ZipArchive(stream, ZipArchiveMode.Read);
        }
        catch (InvalidDataException ex)
        {
            stream.Dispose();
            throw new InvalidDataException($"{path}: not a .npz (zip) archive ({ex.Message}).", ex);
        }
    }

    private static NpyArray ReadEntry(string path, ZipArchiveEntry entry)
    {
        using var s = entry.Open();
        return Read(s, $"{path} (array '{KeyOf(entry.FullName)}')");
    }

    private static NpyArray ReadCore(Stream stream, string source)
    {
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{source}: not a .npy file (the magic string \\x93NUMPY is missing).");
        }

        var major = prefix[6];
        int headerLength;
        switch (major)
        {
            case 1:
                Span<byte> two = stackalloc byte[2];
                stream.ReadExactly(two);
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(two);
                break;
            case 2 or 3:
                Span<byte> four = stackalloc byte[4];
                stream.ReadExactly(four);
                var length = BinaryPrimitives.ReadUInt32LittleEndian(four);
                if (length > 100_000_000)
                {
                    throw new InvalidDataException($"{source}: implausible .npy header length {length}.");
                }

                headerLength = (int)length;
                break;
            default:
                throw new InvalidDataException($"{source}: unsupported .npy format version {major}.{prefix[7]} (1.0, 2.0 and 3.0 are supported).");
        }

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (dtype, shape) = ParseHeader(header, source);
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (count > Array.MaxLength)
        {
            throw new InvalidDataException($"{source}: shape {ShapeRepr(shape)} has {count} values, more than one array can hold.");
        }

        EnsureLittleEndian();
        if (dtype == NpyDType.Float32)
        {
            var values = new float[count];
            stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            return NpyArray.FromFloat32(values, shape);
        }
        else
        {
            var values = new double[count];
            stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            return NpyArray.FromFloat64(values, shape);
        }
    }

    private static (NpyDType DType, long[] Shape) ParseHeader(string header, string source)
    {
        var text = header.Trim();
        if (!text.StartsWith('{') || !text.EndsWith('}'))
        {
            throw new InvalidDataException($"{source}: malformed .npy header (not a dict literal): {text}");
        }

        var descrMatch = Regex.Match(text, @"['""]descr['""]\s*:\s*(?:'([^']*)'|""([^""]*)""|(\[))");
        if (!descrMatch.Success)
        {
            throw new InvalidDataException($"{source}: malformed .npy header (no 'descr'): {text}");
        }

        if (descrMatch.Groups[3].Success)
        {
            throw new InvalidDataException($"{source}: structured arrays are not supported (header {text}); save a plain float32 or float64 array.");
        }

        var descr = descrMatch.Groups[1].Success ? descrMatch.Groups[1].Value : descrMatch.Groups[2].Value;
        var dtype = descr switch
        {
            "<f4" => NpyDType.Float32,
            "<f8" => NpyDType.Float64,
            "|O" or "O" or "<O" or ">O" => throw new InvalidDataException(
                $"{source}: an object array (dtype '{descr}', e.g. per-image arrays of different sizes) needs Python's pickle and cannot be read here; " +
                "re-save it as a plain float32 array N x H x W, e.g. np.savez_compressed(path, data=np.stack(arrays).astype(np.float32)), " +
                "or evaluate against per-image ground-truth depth PNGs instead."),
            ">f4" or ">f8" => throw new InvalidDataException(
                $"{source}: big-endian dtype '{descr}' is not supported; re-save with arr.astype('<{descr[1..]}')."),
            _ => throw new InvalidDataException($"{source}: dtype '{descr}' is not supported (only little-endian float32 '<f4' and float64 '<f8')."),
        };

        var fortran = Regex.Match(text, @"['""]fortran_order['""]\s*:\s*(True|False)");
        if (!fortran.Success)
        {
            throw new InvalidDataException($"{source}: malformed .npy header (no 'fortran_order'): {text}");
        }

        if (fortran.Groups[1].Value == "True")
        {
            throw new InvalidDataException($"{source}: Fortran-ordered (column-major) arrays are not supported; re-save with np.ascontiguousarray(arr).");
        }

        var shapeMatch = Regex.Match(text, @"['""]shape['""]\s*:\s*\(([^)]*)\)");
        if (!shapeMatch.Success)
        {
            throw new InvalidDataException($"{source}: malformed .npy header (no 'shape' tuple): {text}");
        }

        var dims = new List<long>();
        foreach (var part in shapeMatch.Groups[1].Value.Split(','))
        {
            var token = part.Trim().TrimEnd('L');
            if (token.Length == 0)
            {
                continue;
            }

            if (!long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            {
                throw new InvalidDataException($"{source}: malformed .npy shape '({shapeMatch.Groups[1].Value})'.");
            }

            dims.Add(d);
        }

        return (dtype, dims.ToArray());
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException(".npy reading and writing needs a little-endian machine.");
        }
    }
}
