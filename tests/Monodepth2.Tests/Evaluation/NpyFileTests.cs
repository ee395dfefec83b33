using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Monodepth2.Evaluation;

namespace Monodepth2.Tests.Evaluation;

/// <summary>.npy/.npz reading checked against bytes assembled here from the NPY format specification.</summary>
public sealed class NpyFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-npy-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>
    /// magic "\x93NUMPY", major, minor, header length (uint16 LE for 1.0, uint32 LE for 2.0/3.0), the dict padded
    /// with spaces so that the total prefix is a multiple of 64 bytes, ended by '\n'; then the raw data.
    /// </summary>
    private static byte[] HandMade(byte major, string dict, byte[] data, Encoding? encoding = null)
    {
        var dictBytes = (encoding ?? Encoding.ASCII).GetBytes(dict);
        var lengthBytes = major == 1 ? 2 : 4;
        var prefix = 8 + lengthBytes;
        var total = prefix + dictBytes.Length + 1;
        var padded = (total + 63) / 64 * 64;
        var headerLength = padded - prefix;
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0 };
        var len = new byte[lengthBytes];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)headerLength);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)headerLength);
        }

        bytes.AddRange(len);
        bytes.AddRange(dictBytes);
        bytes.AddRange(Enumerable.Repeat((byte)' ', padded - total));
        bytes.Add((byte)'\n');
        Assert.Equal(0, bytes.Count % 64);
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    private static byte[] Doubles(params double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    private string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ReadsVersion1Float32InCOrder()
    {
        var path = Save("a.npy", HandMade(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Floats(1, 2, 3, 4, 5, 6.5f)));
        var a = NpyFile.Read(path);
        Assert.Equal(NpyDType.Float32, a.DType);
        Assert.Equal([2L, 3L], a.Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6.5f], a.Float32!);
    }

    [Fact]
    public void ReadsVersion2Float64OneDimensional()
    {
        var path = Save("b.npy", HandMade(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", Doubles(0.1, -2, 1e300)));
        var a = NpyFile.Read(path);
        Assert.Equal(NpyDType.Float64, a.DType);
        Assert.Equal([3L], a.Shape);
        Assert.Equal([0.1, -2, 1e300], a.Float64!);
        Assert.Equal([0.1f, -2f, float.PositiveInfinity], a.ToFloat32());
    }

    [Fact]
    public void ReadsVersion3Utf8HeaderAndKeyOrderWithoutTrailingComma()
    {
        // 3.0 differs from 2.0 only by the UTF-8 header; key order and spacing are free in a dict literal.
        var path = Save("c.npy", HandMade(3, "{'shape': (1, 1, 2), 'fortran_order': False, 'descr': '<f4'}", Floats(7, 8), Encoding.UTF8));
        var a = NpyFile.Read(path);
        Assert.Equal([1L, 1L, 2L], a.Shape);
        Assert.Equal([7f, 8f], a.Float32!);
    }

    [Fact]
    public void WriterProducesNumpysHeaderByteForByte()
    {
        // numpy.save of a (2, 3) float32 array: the dict (59 chars), 20 spare spaces for the first axis to grow to
        // 21 digits, padding to 128 bytes in all; header length field 118.
        var header = NpyFile.Header(NpyDType.Float32, [2, 3]);
        var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        Assert.Equal(59, dict.Length);
        var expected = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 118, 0 };
        expected.AddRange(Encoding.ASCII.GetBytes(dict));
        expected.AddRange(Enumerable.Repeat((byte)' ', 128 - 10 - 59 - 1));
        expected.Add((byte)'\n');
        Assert.Equal(expected.ToArray(), header);

        var path = Path.Combine(dir, "w.npy");
        NpyFile.Write(path, NpyArray.FromFloat32([1, 2, 3, 4, 5, 6], 2, 3));
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(128 + 24, bytes.Length);
        Assert.Equal(Floats(1, 2, 3, 4, 5, 6), bytes[128..]);
    }

    [Fact]
    public void RoundTripsFloat64AndNpz()
    {
        var path = Path.Combine(dir, "r.npz");
        NpyFile.WriteNpz(path, new Dictionary<string, NpyArray>
        {
            ["data"] = NpyArray.FromFloat64([1, 2, 3, 4], 1, 2, 2),
            ["other"] = NpyArray.FromFloat32([5], 1),
        }, compress: true);
        var all = NpyFile.ReadNpz(path);
        Assert.Equal(["data", "other"], all.Keys.Order());
        Assert.Equal([1.0, 2, 3, 4], all["data"].Float64!);
        Assert.Equal([1L, 2L, 2L], all["data"].Shape);
        Assert.Equal([5f], NpyFile.ReadNpz(path, "other").Float32!);
    }

    [Fact]
    public void ReadsHandMadeDeflatedNpz()
    {
        var path = Path.Combine(dir, "gt_depths.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var s = zip.CreateEntry("data.npy", CompressionLevel.Optimal).Open();
            s.Write(HandMade(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 2), }", Floats(1, 2, 3, 4)));
        }

        var a = NpyFile.ReadNpz(path, "data");
        Assert.Equal([2L, 1L, 2L], a.Shape);
        Assert.Equal([1f, 2, 3, 4], a.Float32!);
        var missing = Assert.Throws<InvalidDataException>(() => NpyFile.ReadNpz(path, "depths"));
        Assert.Contains(path, missing.Message);
        Assert.Contains("'data'", missing.Message);
    }

    [Fact]
    public void ObjectArrayInNpzGivesReSaveAdvice()
    {
        var path = Path.Combine(dir, "objects.npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var s = zip.CreateEntry("data.npy").Open();
            s.Write(HandMade(1, "{'descr': '|O', 'fortran_order': False, 'shape': (697,), }", [0x80, 0x02, 0x5d, 0x71]));
        }

        var ex = Assert.Throws<InvalidDataException>(() => NpyFile.ReadNpz(path, "data"));
        Assert.Contains(path, ex.Message);
        Assert.Contains("object array", ex.Message);
        Assert.Contains("re-save", ex.Message);
    }

    [Fact]
    public void UnsupportedLayoutsAreRefusedNamingTheFile()
    {
        var fortran = Save("f.npy", HandMade(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", Floats(1, 2, 3, 4)));
        var ex = Assert.Throws<InvalidDataException>(() => NpyFile.Read(fortran));
        Assert.Contains(fortran, ex.Message);
        Assert.Contains("Fortran", ex.Message);

        var ints = Save("i.npy", HandMade(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
        Assert.Contains("'<i8'", Assert.Throws<InvalidDataException>(() => NpyFile.Read(ints)).Message);

        var bigEndian = Save("be.npy", HandMade(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]));
        Assert.Contains("big-endian", Assert.Throws<InvalidDataException>(() => NpyFile.Read(bigEndian)).Message);

        var truncated = Save("t.npy", HandMade(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", Floats(1, 2)));
        var t = Assert.Throws<InvalidDataException>(() => NpyFile.Read(truncated));
        Assert.Contains(truncated, t.Message);
        Assert.Contains("truncated", t.Message);

        var notNpy = Save("x.npy", Encoding.ASCII.GetBytes("hello world, not numpy"));
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => NpyFile.Read(notNpy)).Message);
    }
}
