using System.Globalization;
using Monodepth2.Networks;
using TorchSharp.Modules;
using static Monodepth2.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;

namespace Monodepth2.Onnx;

/// <summary>
/// Writes Monodepth2's TorchSharp modules into an <see cref="OnnxGraphBuilder"/> as ONNX nodes, in eval-mode semantics.
/// Weights are read from the modules themselves (found by their state-dict paths through <c>named_modules</c>) and
/// stored as initializers named <c>&lt;file&gt;/&lt;state-dict key&gt;</c>, e.g. <c>encoder/encoder.layer1.0.conv1.weight</c>,
/// <c>depth/decoder.0.conv.conv.bias</c>, <c>pose/net.3.weight</c> (file = the model-folder file the module is saved in).
/// Convolution geometry (kernel, stride, padding, dilation, groups) comes from each Conv2d module.
/// </summary>
/// <remarks>
/// Batch norms are written as ONNX BatchNormalization nodes with the module's running mean and variance, scale, bias and
/// epsilon (inference mode), not folded into the preceding convolution: the graph keeps the reference's weights one to
/// one, and ONNX Runtime fuses Conv + BatchNormalization itself when it optimises the graph.
/// </remarks>
internal sealed class NetworkEmitter(OnnxGraphBuilder graph)
{
    private readonly Dictionary<nn.Module, Dictionary<string, nn.Module>> moduleIndex = [];

    /// <summary>The builder written into.</summary>
    public OnnxGraphBuilder Graph { get; } = graph;

    /// <summary>(x - 0.45) / 0.225, the normalisation at the start of <see cref="ResnetEncoder.forward"/>.</summary>
    public string NormalizeInput(string input, string hint) =>
        Graph.Node("Div", [Graph.Node("Sub", [input, Graph.Scalar((float)ResnetEncoder.InputMean)], hint + "/centered"), Graph.Scalar((float)ResnetEncoder.InputStd)], hint + "/normalized");

    /// <summary>
    /// The five feature maps of a <see cref="ResnetEncoder"/> (without its input normalisation): relu(bn1(conv1)) and
    /// layer1..layer4 after the max pool, with basic blocks (ResNet-18/34) or bottlenecks (ResNet-50/101/152).
    /// </summary>
    public string[] Encoder(ResnetEncoder encoder, string file, string normalizedInput, string hint)
    {
        var (blocks, bottleneck) = ResNet.BlockCounts(encoder.Layers);
        var features = new string[5];
        var x = Conv(encoder, file, "encoder.conv1", normalizedInput, $"{hint}/conv1");
        x = BatchNorm(encoder, file, "encoder.bn1", x, $"{hint}/bn1");
        features[0] = Relu(x, $"{hint}/relu");

        // ResNet's max pool: kernel 3, stride 2, padding 1 (padded with -inf in both frameworks).
        x = Graph.Node("MaxPool", [features[0]], $"{hint}/maxpool", null,
            Attr("kernel_shape", [3L, 3]), Attr("strides", [2L, 2]), Attr("pads", [1L, 1, 1, 1]));
        for (var stage = 1; stage <= 4; stage++)
        {
            for (var i = 0; i < blocks[stage - 1]; i++)
            {
                var path = string.Create(CultureInfo.InvariantCulture, $"encoder.layer{stage}.{i}");
                x = ResidualBlock(encoder, file, path, x, bottleneck ? 3 : 2, $"{hint}/layer{stage}.{i}");
            }

            features[stage] = x;
        }

        return features;
    }

    /// <summary>A Conv2d module (weight, optional bias, its geometry) applied to <paramref name="input"/>.</summary>
    public string Conv(nn.Module root, string file, string path, string input, string hint)
    {
        var conv = Find<Convolution>(root, path);
        if (conv.transposed || conv.padding_mode != TorchSharp.PaddingModes.Zeros || conv.padding is null)
        {
            throw new NotSupportedException($"{path}: only plain convolutions with explicit zero padding are exported.");
        }

        var weight = Graph.AddInitializer($"{file}/{path}.weight", conv.weight);
        List<string> inputs = [input, weight];
        if (conv.bias is { } bias)
        {
            inputs.Add(Graph.AddInitializer($"{file}/{path}.bias", bias));
        }

        return Graph.Node("Conv", inputs, hint, null,
            Attr("kernel_shape", conv.kernel_size),
            Attr("strides", conv.stride),
            Attr("pads", [.. conv.padding, .. conv.padding]),
            Attr("dilations", conv.dilation),
            Attr("group", conv.groups));
    }

    /// <summary>A BatchNorm2d module in eval mode (running statistics) applied to <paramref name="input"/>.</summary>
    public string BatchNorm(nn.Module root, string file, string path, string input, string hint)
    {
        var bn = Find<NormBase>(root, path);
        if (bn.running_mean is not { } mean || bn.running_var is not { } var)
        {
            throw new NotSupportedException($"{path}: batch norms without running statistics cannot be exported.");
        }

        var channels = mean.shape[0];
        var scale = bn.affine ? Graph.AddInitializer($"{file}/{path}.weight", bn.weight) : Graph.AddFloat(Graph.Unique($"{file}/{path}.ones"), [.. Enumerable.Repeat(1f, (int)channels)], channels);
        var shift = bn.affine && bn.bias is { } b ? Graph.AddInitializer($"{file}/{path}.bias", b) : Graph.AddFloat(Graph.Unique($"{file}/{path}.zeros"), new float[channels], channels);
        return Graph.Node("BatchNormalization",
            [input, scale, shift, Graph.AddInitializer($"{file}/{path}.running_mean", mean), Graph.AddInitializer($"{file}/{path}.running_var", var)],
            hint, null, Attr("epsilon", (float)bn.eps));
    }

    /// <summary>ReLU.</summary>
    public string Relu(string input, string hint) => Graph.Node("Relu", [input], hint);

    /// <summary>
    /// A <see cref="Conv3x3"/>: reflection padding of 1 on H and W (ONNX Pad, mode reflect, which like PyTorch's
    /// ReflectionPad2d mirrors without repeating the edge) then the 3x3 convolution with bias.
    /// </summary>
    public string ReflectConv3x3(nn.Module root, string file, string path, string input, string hint)
    {
        var pad = Find<nn.Module>(root, path + ".pad");
        if (pad is not ReflectionPad2d)
        {
            throw new NotSupportedException($"{path}: only reflection-padded 3x3 convolutions are exported (found {pad.GetType().Name}).");
        }

        var padded = Graph.Node("Pad", [input, Graph.Ints(0, 0, 1, 1, 0, 0, 1, 1)], hint + "/pad", null, Attr("mode", "reflect"));
        return Conv(root, file, path + ".conv", padded, hint);
    }

    /// <summary>A <see cref="ConvBlock"/>: <see cref="ReflectConv3x3"/> then ELU (alpha 1, TorchSharp's default).</summary>
    public string ConvElu(nn.Module root, string file, string path, string input, string hint) =>
        Graph.Node("Elu", [ReflectConv3x3(root, file, path + ".conv", input, hint + "/conv")], hint + "/elu", null, Attr("alpha", 1f));

    /// <summary>
    /// PyTorch's <c>interpolate(scale_factor=2, mode=nearest)</c>: output pixel i reads input floor(i / 2), which is ONNX
    /// Resize nearest with the asymmetric coordinate transform and floor rounding.
    /// </summary>
    public string UpsampleNearest2x(string input, string hint) =>
        Graph.Node("Resize", [input, "", Graph.Floats(1, 1, 2, 2)], hint, null,
            Attr("mode", "nearest"), Attr("coordinate_transformation_mode", "asymmetric"), Attr("nearest_mode", "floor"));

    /// <summary>
    /// A <see cref="PoseDecoder"/> on the last encoder map of each input: squeeze (net.0) + ReLU per input, concatenation,
    /// net.1 + ReLU, net.2 + ReLU, net.3, mean over W then H (the order of the module), times 0.01. Returns [B, 6F].
    /// </summary>
    public string PoseHead(PoseDecoder decoder, string file, IReadOnlyList<string> lastFeatures, string hint)
    {
        var squeezed = lastFeatures.Select((f, k) => Relu(Conv(decoder, file, "net.0", f, $"{hint}/squeeze{k}"), $"{hint}/squeeze{k}/relu")).ToArray();
        var x = squeezed.Length == 1 ? squeezed[0] : Graph.Node("Concat", squeezed, $"{hint}/concat", null, Attr("axis", 1L));
        x = Relu(Conv(decoder, file, "net.1", x, $"{hint}/pose0"), $"{hint}/pose0/relu");
        x = Relu(Conv(decoder, file, "net.2", x, $"{hint}/pose1"), $"{hint}/pose1/relu");
        x = Conv(decoder, file, "net.3", x, $"{hint}/pose2");
        return SpatialMeanTimesScale(x, hint);
    }

    /// <summary>A <see cref="PoseCnn"/> on frames stacked on the channel axis: seven conv + ReLU, pose_conv, mean, times 0.01. Returns [B, 6(N-1)].</summary>
    public string PoseCnnHead(PoseCnn cnn, string file, string stacked, string hint)
    {
        var x = stacked;
        for (var k = 0; k < 7; k++)
        {
            x = Relu(Conv(cnn, file, string.Create(CultureInfo.InvariantCulture, $"net.{k}"), x, $"{hint}/conv{k}"), $"{hint}/conv{k}/relu");
        }

        x = Conv(cnn, file, "pose_conv", x, $"{hint}/pose_conv");
        return SpatialMeanTimesScale(x, hint);
    }

    private string SpatialMeanTimesScale(string x, string hint)
    {
        x = Graph.Node("ReduceMean", [x], $"{hint}/mean_w", null, Attr("axes", [3L]), Attr("keepdims", 0L));
        x = Graph.Node("ReduceMean", [x], $"{hint}/mean_h", null, Attr("axes", [2L]), Attr("keepdims", 0L));
        return Graph.Node("Mul", [x, Graph.Scalar((float)PoseDecoder.OutputScale)], $"{hint}/scaled");
    }

    private string ResidualBlock(nn.Module root, string file, string path, string input, int convs, string hint)
    {
        var identity = input;
        if (Has(root, path + ".downsample.0"))
        {
            identity = Conv(root, file, path + ".downsample.0", input, $"{hint}/downsample.0");
            identity = BatchNorm(root, file, path + ".downsample.1", identity, $"{hint}/downsample.1");
        }

        var x = input;
        for (var k = 1; k <= convs; k++)
        {
            var n = k.ToString(CultureInfo.InvariantCulture);
            x = Conv(root, file, $"{path}.conv{n}", x, $"{hint}/conv{n}");
            x = BatchNorm(root, file, $"{path}.bn{n}", x, $"{hint}/bn{n}");
            if (k < convs)
            {
                x = Relu(x, $"{hint}/relu{n}");
            }
        }

        return Relu(Graph.Node("Add", [x, identity], $"{hint}/add"), $"{hint}/out");
    }

    private bool Has(nn.Module root, string path) => Index(root).ContainsKey(path);

    private T Find<T>(nn.Module root, string path)
        where T : nn.Module =>
        Index(root).TryGetValue(path, out var m)
            ? m as T ?? throw new NotSupportedException($"{path}: expected a {typeof(T).Name}, found {m.GetType().Name}.")
            : throw new ArgumentException($"The module has no submodule '{path}' (state-dict layout differs from Monodepth2's).");

    private Dictionary<string, nn.Module> Index(nn.Module root)
    {
        if (!moduleIndex.TryGetValue(root, out var index))
        {
            index = root.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
            moduleIndex[root] = index;
        }

        return index;
    }
}
