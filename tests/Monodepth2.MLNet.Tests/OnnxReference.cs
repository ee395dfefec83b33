using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Monodepth2.Onnx;

namespace Monodepth2.MLNet.Tests;

/// <summary>
/// The packaged ResNet18.onnx run by ONNX Runtime, with intermediate tensors added as graph outputs, plus the parsed
/// model and the preprocessing's mean image. Loaded once for all tests (the file is 64 MB).
/// </summary>
public sealed class OnnxReference : IDisposable
{
    public const int Size = 224;

    /// <summary>ONNX input name.</summary>
    public const string Input = "Input247";

    /// <summary>relu(bn1(conv1)), torchvision's first feature map (1/2).</summary>
    public const string Stem = "ReLU253_Output_0";

    /// <summary>Outputs of layer1, layer2, layer3 (the last Relu of each stage).</summary>
    public const string Layer1 = "ReLU283_Output_0";
    public const string Layer2 = "ReLU315_Output_0";
    public const string Layer3 = "ReLU347_Output_0";

    /// <summary>Last stage after its first two blocks (what the import keeps) and after all three.</summary>
    public const string Layer4TwoBlocks = "ReLU379_Output_0";
    public const string Layer4Full = "ReLU393_Output_0";

    private static readonly Lazy<OnnxReference> Shared = new(() => new OnnxReference());

    private readonly InferenceSession session;

    private OnnxReference()
    {
        ModelPath = ImageNetResNet18Initializer.DefaultModelPath;
        var bytes = File.ReadAllBytes(ModelPath);
        Model = OnnxModel.Parse(bytes, ModelPath);
        foreach (var name in new[] { Stem, Layer1, Layer2, Layer3, Layer4TwoBlocks, Layer4Full })
        {
            bytes = OnnxModel.WithExtraOutput(bytes, name);
        }

        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        session = new InferenceSession(bytes, options);
        var prep = OnnxModel.Load(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(ModelPath))!, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        MeanImageBgr = prep.Initializers["MeanImage"].Data;
    }

    public static OnnxReference Instance => Shared.Value;

    public string ModelPath { get; }

    public OnnxModel Model { get; }

    /// <summary>The preprocessing's per-pixel mean image, [3 (B, G, R), 224, 224] on the 0..255 scale.</summary>
    public float[] MeanImageBgr { get; }

    /// <summary>Reads a photograph (224 x 224) as planar RGB in [0, 1].</summary>
    public static float[] LoadRgb01(string path)
    {
        using var image = MLImage.CreateFromFile(path);
        Assert.Equal((Size, Size), (image.Width, image.Height));
        var (r, g, b) = image.PixelFormat switch
        {
            MLPixelFormat.Bgra32 => (2, 1, 0),
            MLPixelFormat.Rgba32 => (0, 1, 2),
            _ => throw new NotSupportedException(image.PixelFormat.ToString()),
        };
        var pixels = image.Pixels;
        var plane = Size * Size;
        var rgb = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            rgb[i] = pixels[(4 * i) + r] / 255f;
            rgb[plane + i] = pixels[(4 * i) + g] / 255f;
            rgb[(2 * plane) + i] = pixels[(4 * i) + b] / 255f;
        }

        return rgb;
    }

    /// <summary>
    /// The ONNX network's input for RGB in [0, 1]: BGR on 0..255 minus the per-pixel mean image (the package's own
    /// preprocessing) or, with <paramref name="planeMeans"/>, minus the plane means the import assumes.
    /// </summary>
    public float[] OnnxInput(float[] rgb01, bool planeMeans)
    {
        var plane = Size * Size;
        var u = new float[3 * plane];
        for (var c = 0; c < 3; c++)
        {
            var source = 2 - c; // BGR <- RGB
            for (var i = 0; i < plane; i++)
            {
                var mean = planeMeans ? (float)ImageNetResNet18Initializer.BgrPlaneMeans[c] : MeanImageBgr[(c * plane) + i];
                u[(c * plane) + i] = (255f * rgb01[(source * plane) + i]) - mean;
            }
        }

        return u;
    }

    /// <summary>Runs the network on one prepared input and returns the requested tensors, flattened [C, H, W].</summary>
    public Dictionary<string, float[]> Run(float[] input, params string[] outputs)
    {
        var tensor = new DenseTensor<float>(input, [1, 3, Size, Size]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(Input, tensor)], outputs);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }

    public void Dispose() => session.Dispose();
}
