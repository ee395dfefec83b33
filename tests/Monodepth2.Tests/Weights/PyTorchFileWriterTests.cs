using System.Collections;
using System.IO.Compression;
using Monodepth2.Weights;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Weights;

public sealed class PyTorchFileWriterTests : TorchTestBase, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-ptwriter-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void StateDictPickleIsByteForBytePyTorchsAndEveryEntryIsStored()
    {
        var path = Path.Combine(dir, "encoder.pth");
        using var weight = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3);
        StateDictFile.Write(path, [new("encoder.conv1.weight", weight)], [new("height", 192), new("width", 640), new("use_stereo", true)]);

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(["archive/data/0", "archive/data.pkl", "archive/version"], zip.Entries.Select(e => e.FullName));
        // Stored, not deflated: the compressed size equals the size.
        Assert.All(zip.Entries, e => Assert.Equal(e.Length, e.CompressedLength));
        Assert.Equal(StateDictFileTests.HandMadePickle(), ReadEntry(zip, "archive/data.pkl"));
        Assert.Equal(new[] { 1f, 2f, 3f, 4f, 5f, 6f }.SelectMany(BitConverter.GetBytes), ReadEntry(zip, "archive/data/0"));
        Assert.Equal("3\n"u8.ToArray(), ReadEntry(zip, "archive/version"));
    }

    [Fact]
    public void NestedValuesReadBackWithPyBridgesUnpickler()
    {
        var path = Path.Combine(dir, "nested.pth");
        using var scalar = tensor(7L);
        using var doubles = tensor(new[] { -1.5, 2.25 });
        using var big = arange(70000, dtype: ScalarType.Int32);
        var value = new Dictionary<string, object?>
        {
            ["scalar"] = scalar,
            ["doubles"] = doubles,
            ["big"] = big,
            ["numbers"] = new List<object?> { 0, 255, 256, 65535, 65536, -1, int.MinValue, 1L << 40, -(1L << 40), 0.1, -2.5e-300, null, false },
            ["tuple"] = new object?[] { "é", string.Empty },
            ["empty"] = new object?[] { },
            ["by index"] = new Dictionary<int, object?> { [3] = new List<object?>(), [4] = new Dictionary<string, object?>() },
        };
        AtomicFile.Write(path, s => PyTorchFileWriter.Write(s, value));

        var read = PyTorchUnpickler.UnpickleStateDict(File.OpenRead(path), leaveOpen: false, skipTensorRead: false);
        var readScalar = (Tensor)read["scalar"]!;
        Assert.Empty(readScalar.shape);
        Assert.Equal(7L, readScalar.item<long>());
        Assert.Equal(new[] { -1.5, 2.25 }, ((Tensor)read["doubles"]!).data<double>().ToArray());
        Assert.Equal(Enumerable.Range(0, 70000), ((Tensor)read["big"]!).data<int>().ToArray());
        var numbers = ((ArrayList)read["numbers"]!).Cast<object?>().Select(n => n is null ? null : Convert.ToString(n, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        string?[] expected = ["0", "255", "256", "65535", "65536", "-1", "-2147483648", "1099511627776", "-1099511627776", "0.1", "-2.5E-300", null, "False"];
        Assert.Equal((IEnumerable<string?>)expected, numbers);
        Assert.Equal(new object[] { "é", string.Empty }, (object[])read["tuple"]!);
        Assert.Empty((object[])read["empty"]!);
        var byIndex = (Hashtable)read["by index"]!;
        Assert.Empty((ArrayList)byIndex[3]!);
        Assert.Empty((Hashtable)byIndex[4]!);
    }

    [Fact]
    public void AdamStateRoundTripsThroughPyBridgesLoaderAndMatchesItsWriter()
    {
        using var net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2));
        using var adam = optim.Adam(net.parameters(), lr: 3e-4, beta1: 0.8, beta2: 0.99, weight_decay: 1e-5);
        for (var i = 0; i < 3; i++)
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            net.call(rand(5, 4)).square().mean().backward();
            adam.step();
        }

        var ours = Path.Combine(dir, "adam.pth");
        OptimizerStateFile.Write(ours, adam);
        var theirs = Path.Combine(dir, "adam_pybridge.pth");
        adam.save_py(theirs);

        // The same content as TorchSharp.PyBridge's own writer, key by key.
        var a = PyTorchUnpickler.UnpickleStateDict(File.OpenRead(ours), leaveOpen: false, skipTensorRead: false);
        var b = PyTorchUnpickler.UnpickleStateDict(File.OpenRead(theirs), leaveOpen: false, skipTensorRead: false);
        AssertSameValue(b, a, "state_dict");

        // And it loads into a fresh optimiser with PyBridge's loader: the next step is identical.
        using var net2 = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2));
        net2.load_state_dict(net.state_dict());
        using var adam2 = optim.Adam(net2.parameters(), lr: 1, beta1: 0.5, beta2: 0.5);
        adam2.load_py(ours);
        using var x = rand(5, 4);
        foreach (var (n, o) in new[] { (net, adam), (net2, adam2) })
        {
            o.zero_grad();
            n.call(x).square().mean().backward();
            o.step();
        }

        foreach (var (p, q) in net.parameters().Zip(net2.parameters()))
        {
            Assert.True(p.eq(q).all().item<bool>());
        }
    }

    [Fact]
    public void UnsupportedValuesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => PyTorchFileWriter.Write(new MemoryStream(), new Dictionary<string, object?> { ["x"] = new Uri("http://a") }));
        using var t = rand(3, 4).t();
        Assert.Throws<ArgumentException>(() => PyTorchFileWriter.Write(new MemoryStream(), new Dictionary<string, object?> { ["x"] = t }));
    }

    private static byte[] ReadEntry(ZipArchive zip, string name)
    {
        using var s = zip.GetEntry(name)!.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    private static void AssertSameValue(object? expected, object? actual, string where)
    {
        switch (expected)
        {
            case Hashtable e:
                var act = Assert.IsType<Hashtable>(actual);
                Assert.Equal(e.Keys.Cast<object>().Select(k => k.ToString()).Order(), act.Keys.Cast<object>().Select(k => k.ToString()).Order());
                foreach (DictionaryEntry entry in e)
                {
                    AssertSameValue(entry.Value, act[entry.Key], $"{where}.{entry.Key}");
                }

                break;
            case ArrayList e:
                var list = Assert.IsType<ArrayList>(actual);
                Assert.Equal(e.Count, list.Count);
                for (var i = 0; i < e.Count; i++)
                {
                    AssertSameValue(e[i], list[i], $"{where}[{i}]");
                }

                break;
            case object[] e:
                var tuple = Assert.IsType<object[]>(actual);
                Assert.Equal(e.Length, tuple.Length);
                for (var i = 0; i < e.Length; i++)
                {
                    AssertSameValue(e[i], tuple[i], $"{where}({i})");
                }

                break;
            case Tensor e:
                var t = Assert.IsAssignableFrom<Tensor>(actual);
                Assert.True(e.dtype == t.dtype && e.shape.SequenceEqual(t.shape) && e.eq(t).all().item<bool>(), $"{where}: tensors differ");
                break;
            default:
                Assert.True(Equals(expected, actual), $"{where}: expected {expected}, got {actual}");
                break;
        }
    }
}
