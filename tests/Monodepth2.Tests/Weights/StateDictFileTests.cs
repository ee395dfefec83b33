using System.IO.Compression;
using System.Text;
using Monodepth2.Networks;
using Monodepth2.Weights;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Weights;

public sealed class StateDictFileTests : TorchTestBase, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-weights-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ReadsAFileAssembledByHandFromThePickleAndZipFormats()
    {
        // torch.save layout: <name>/data.pkl (pickle protocol 2), <name>/data/<key> (raw little-endian storage), <name>/version.
        var path = Path.Combine(dir, "encoder.pth");
        WriteHandMadeStateDict(path);
        using var dict = StateDictFile.Read(path);
        var t = dict.Tensors["encoder.conv1.weight"];
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, Values(t));
        Assert.Equal(192, Convert.ToInt32(dict.Extras["height"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(640, Convert.ToInt32(dict.Extras["width"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(true, dict.Extras["use_stereo"]);
    }

    [Fact]
    public void ModelFolderRoundTripsBitForBit()
    {
        using var a = new MonodepthNetworks();
        // Make the batch-norm buffers non-trivial so they are checked too.
        a.Train();
        using (var noGrad = no_grad())
        {
            a.Encoder.call(rand(2, 3, 64, 64)).ToList().ForEach(f => f.Dispose());
        }

        ModelFolder.Save(dir, a, new ModelInfo { Width = 640, Height = 192, UseStereo = true, MinDepth = 0.5, MaxDepth = 20 });
        Assert.Equal(["depth.pth", "encoder.pth", "pose.pth", "pose_encoder.pth"], Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var b = new MonodepthNetworks();
        var info = ModelFolder.Load(dir, b);
        // What was written, and the architecture read back from the weights' keys.
        Assert.Equal((640, 192, true, 0.5, 20.0), (info.Width, info.Height, info.UseStereo, info.MinDepth, info.MaxDepth));
        Assert.Equal((18, PoseNetworkKind.SeparateResnet, true), (info.Networks.Layers, info.Networks.PoseKind, info.HasPose));
        Assert.Equal([0, 1, 2, 3], info.Networks.EffectiveScales);
        foreach (var ((name, ma), (_, mb)) in a.NamedModules.Zip(b.NamedModules))
        {
            var sa = ma.state_dict();
            var sb = mb.state_dict();
            Assert.Equal(sa.Keys, sb.Keys);
            foreach (var key in sa.Keys)
            {
                Assert.True(sa[key].shape.SequenceEqual(sb[key].shape) && sa[key].eq(sb[key]).all().item<bool>(), $"{name}: {key} differs");
            }
        }
    }

    [Fact]
    public void ClassifierKeysOfReferenceFilesAreSkippedButOtherExtrasAreErrors()
    {
        using var encoder = new ResnetEncoder(18, 1);
        var tensors = encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        tensors["encoder.fc.weight"] = zeros(1000, 512);
        tensors["encoder.fc.bias"] = zeros(1000);
        ModuleWeights.Load(encoder, tensors, "ref.pth");
        tensors["encoder.extra.weight"] = zeros(1);
        var ex = Assert.Throws<InvalidDataException>(() => ModuleWeights.Load(encoder, tensors, "ref.pth"));
        Assert.Contains("ref.pth", ex.Message);
        Assert.Contains("encoder.extra.weight", ex.Message);
    }

    [Fact]
    public void WrongShapeNamesFileAndKey()
    {
        using var decoder = new PoseDecoder([64, 64, 128, 256, 512], 1, 2);
        var tensors = decoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        tensors["net.3.bias"] = zeros(6);
        var ex = Assert.Throws<InvalidDataException>(() => ModuleWeights.Load(decoder, tensors, "pose.pth"));
        Assert.Contains("pose.pth", ex.Message);
        Assert.Contains("net.3.bias", ex.Message);
    }

    [Fact]
    public void NotAWeightFileIsAClearError()
    {
        var path = Path.Combine(dir, "junk.pth");
        File.WriteAllText(path, "hello");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => StateDictFile.Read(path)).Message);
        var missing = Path.Combine(dir, "none.pth");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => StateDictFile.Read(missing)).Message);
        Assert.Contains("use_stereo", Assert.Throws<InvalidDataException>(() =>
        {
            StateDictFile.Write(Path.Combine(dir, "encoder.pth"), new Dictionary<string, Tensor> { ["x"] = zeros(1) }, new Dictionary<string, object> { ["height"] = 1, ["width"] = 2 });
            StateDictFile.Write(Path.Combine(dir, "depth.pth"), new Dictionary<string, Tensor> { ["x"] = zeros(1) });
            ModelFolder.ReadInfo(dir);
        }).Message);
    }

    [Fact]
    public void FailedWriteKeepsThePreviousFileAndLeavesNoTemporary()
    {
        var path = Path.Combine(dir, "file.bin");
        File.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("new partial"u8);
            throw new IOException("killed");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir));
    }

    private static void WriteHandMadeStateDict(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Entry(string name, byte[] data)
        {
            using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            s.Write(data);
        }

        Entry("encoder/data.pkl", HandMadePickle());
        Entry("encoder/data/0", new[] { 1f, 2f, 3f, 4f, 5f, 6f }.SelectMany(BitConverter.GetBytes).ToArray());
        Entry("encoder/version", "3\n"u8.ToArray());
    }

    /// <summary>
    /// The data.pkl of torch.save for {"encoder.conv1.weight": 2x3 float tensor, "height": 192, "width": 640,
    /// "use_stereo": True}, assembled opcode by opcode from the pickle specification (protocol 2).
    /// </summary>
    internal static byte[] HandMadePickle()
    {
        var pkl = new MemoryStream();
        void Op(byte b) => pkl.WriteByte(b);
        void Global(string module, string name) { Op((byte)'c'); pkl.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n")); }
        void Str(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            Op((byte)'X');
            pkl.Write(BitConverter.GetBytes(bytes.Length));
            pkl.Write(bytes);
        }

        void Int1(int v) { Op((byte)'K'); Op((byte)v); }
        void Int2(int v) { Op((byte)'M'); pkl.Write(BitConverter.GetBytes((ushort)v)); }

        Op(0x80); Op(2);                               // PROTO 2
        Global("collections", "OrderedDict"); Op((byte)')'); Op((byte)'R');
        Op((byte)'(');                                 // MARK for SETITEMS
        Str("encoder.conv1.weight");
        Global("torch._utils", "_rebuild_tensor_v2");
        Op((byte)'(');                                 // args of _rebuild_tensor_v2
        Op((byte)'('); Str("storage"); Global("torch", "FloatStorage"); Str("0"); Str("cpu"); Int1(6); Op((byte)'t');
        Op((byte)'Q');                                 // BINPERSID
        Int1(0);                                       // storage offset
        Op((byte)'('); Int1(2); Int1(3); Op((byte)'t');  // size
        Op((byte)'('); Int1(3); Int1(1); Op((byte)'t');  // stride
        Op(0x89);                                      // requires_grad False
        Global("collections", "OrderedDict"); Op((byte)')'); Op((byte)'R'); // backward hooks
        Op((byte)'t'); Op((byte)'R');
        Str("height"); Int1(192);
        Str("width"); Int2(640);
        Str("use_stereo"); Op(0x88);                   // True
        Op((byte)'u'); Op((byte)'.');
        return pkl.ToArray();
    }
}
