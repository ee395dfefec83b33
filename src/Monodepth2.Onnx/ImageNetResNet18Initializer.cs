using Monodepth2.Networks;
using Monodepth2.Training;
using Monodepth2.Weights;
using static TorchSharp.torch;
using static Monodepth2.ScalarCache;

namespace Monodepth2.Onnx;

/// <summary>
/// ImageNet initialisation of Monodepth2's ResNet-18 encoders from the ResNet-18 that the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 ships as ONNX (<c>DnnImageModels/ResNet18Onnx/ResNet18.onnx</c>, copied
/// next to the build output).
/// </summary>
/// <remarks>
/// <para>
/// The ONNX model (CNTK, opset 8, input [1,3,224,224]) has bias-free convolutions and unfolded BatchNormalization nodes
/// (epsilon 1e-5, the same as torch's default, so running variances are copied unchanged). It is mapped by graph
/// structure, not by its generated parameter names: the first Conv/BatchNormalization pair is the stem; every Add node
/// closes a basic block (main branch conv1/bn1 -> relu -> conv2/bn2, shortcut either identity or a 1x1
/// conv/BatchNormalization = <c>downsample.0/.1</c>); a block whose conv1 has stride 2 starts a new stage.
/// </para>
/// <para>
/// Stage depths are [2, 2, 2, 3], one block more in the last stage than torchvision's [2, 2, 2, 2]. The third block of
/// the last stage is dropped: layer4.0 and layer4.1 get blocks 0 and 1. Then every feature map, layer4 included, is a
/// real activation of the ImageNet network (layer4 = the output of its second last-stage block, checked against ONNX
/// Runtime), each block sees the input distribution its batch-norm statistics were collected on, and the depth decoder,
/// trained from scratch, adapts to what layer4 gives. Measured on three 224 x 224 photographs against the full
/// three-block stage: keeping blocks 0 and 1 gives relative L2 error 57-62 %, per-channel Pearson correlation 0.58-0.66
/// and cosine 0.88 of the pooled 512-d features; skipping the middle block instead (blocks 0 and 2) gives 58-84 %,
/// 0.65-0.72 and 0.86-0.93, not consistently closer, and its block 2 would see inputs it was never trained on.
/// </para>
/// <para>
/// Input normalisation is folded into the stem. Monodepth2 feeds z = (x - 0.45) / 0.225 with x RGB in [0, 1]; the
/// ONNX network expects u = 255 x - m in BGR order, with m the preprocessing's mean image. Writing
/// u_c = 255 * 0.225 * z_c + (255 * 0.45 - m_c), a convolution W on u equals the convolution with
/// W' = 57.375 * W (input channels reversed BGR -> RGB) on z plus the per-output-channel constant
/// d_o = sum_{c,k} W[o,c,k] (114.75 - m_c); conv1 has no bias, so d is folded into bn1: running_mean' = running_mean - d.
/// Two approximations, measured on three photographs: (1) the per-pixel mean image is replaced by its plane means
/// (B 103.063, G 115.903, R 123.152; the mean image varies with a standard deviation of 5.9, 4.9 and 3.3 levels of 255
/// around them); (2) at the image border torch pads z with 0, i.e. u with 114.75 - m_c (11.7, -1.2, -8.4 levels) instead
/// of 0, which changes conv1 outputs whose 7x7 window reaches the padding (the outer two rows/columns at the top/left,
/// one at the bottom/right). Against ONNX fed with plane means, the stem output is exact in the interior (relative L2
/// error below 1e-5) and off by 7.5-8.4 % on that border ring; layer3 by 2.0-2.4 %. Against ONNX with the package's
/// mean image (both approximations), layer3 is off by 3.5-5.1 % with Pearson correlation 0.998-0.999.
/// </para>
/// <para>
/// The CNTK stem pads asymmetrically (pads [3,3,2,2]: 3 before, 2 after), torchvision symmetrically (3). With stride 2
/// and an even input size the last window never reaches the third trailing padding row, so both give the same output;
/// the same holds for the [1,1,0,0] padding of CNTK's max pool and stride-2 3x3 convolutions. Monodepth2's input sizes
/// are multiples of 32, so every stride-2 layer sees an even size. Measured on a 224 x 224 photograph with the input
/// padded explicitly (with the value that is 0 in the ONNX input space): symmetric and CNTK padding give bit-identical
/// stem outputs, both within 2.3e-7 relative L2 error of ONNX Runtime.
/// </para>
/// <para>
/// The pose encoder's 6-channel conv1 gets the folded 3-channel weights repeated twice along the input-channel axis and
/// halved, as the reference does; bn1 gets the same folded running mean, since halving the weights and feeding the same
/// image twice gives the 3-channel response.
/// </para>
/// </remarks>
public sealed class ImageNetResNet18Initializer : IEncoderInitializer
{
    /// <summary>Path of the ONNX file relative to the folder of this assembly, where the NuGet package puts it.</summary>
    public const string RelativeModelPath = "DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>Scale between Monodepth2's normalised input and the ONNX input: 255 * 0.225.</summary>
    public const double InputScale = 255.0 * ResnetEncoder.InputStd;

    /// <summary>
    /// Plane means of the preprocessing's per-pixel mean image (<c>ResNetPreprocess.onnx</c>), in BGR order, on the 0..255
    /// scale: what the import assumes the ONNX network had subtracted.
    /// </summary>
    public static readonly double[] BgrPlaneMeans = [103.063, 115.903, 123.152];

    /// <summary>Blocks of the ONNX last stage (0..2) that become torchvision's layer4.0 and layer4.1.</summary>
    private readonly int[] lastStageBlocks;

    /// <summary>Creates an initializer reading <paramref name="modelPath"/> (default: <see cref="DefaultModelPath"/>).</summary>
    public ImageNetResNet18Initializer(string? modelPath = null)
        : this(modelPath, [0, 1])
    {
    }

    /// <summary>
    /// Creates an initializer that fills layer4.0 and layer4.1 from the given blocks of the ONNX last stage (for
    /// measuring the choice; the default is blocks 0 and 1).
    /// </summary>
    public ImageNetResNet18Initializer(string? modelPath, IReadOnlyList<int> lastStageBlocks)
    {
        ArgumentNullException.ThrowIfNull(lastStageBlocks);
        if (lastStageBlocks.Count != 2 || lastStageBlocks[0] != 0 || lastStageBlocks[1] is < 1 or > 2)
        {
            throw new ArgumentException("The last stage must keep block 0 (it changes stride and channels) and one of blocks 1 and 2.", nameof(lastStageBlocks));
        }

        ModelPath = modelPath ?? DefaultModelPath;
        this.lastStageBlocks = [.. lastStageBlocks];
    }

    /// <summary>Where the NuGet package puts the ONNX file: <see cref="RelativeModelPath"/> under this assembly's folder.</summary>
    public static string DefaultModelPath
    {
        get
        {
            var location = typeof(ImageNetResNet18Initializer).Assembly.Location;
            var folder = string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location)!;
            return Path.Combine(folder, RelativeModelPath);
        }
    }

    /// <summary>The ONNX file read.</summary>
    public string ModelPath { get; }

    /// <summary>Loads the ImageNet weights into the depth encoder and, when given, the 6-channel pose encoder.</summary>
    /// <exception cref="FileNotFoundException">The ONNX file is missing (the message names the expected path).</exception>
    /// <exception cref="InvalidDataException">The file is not the expected ResNet-18 ONNX model.</exception>
    public void Initialize(ResnetEncoder? depthEncoder, ResnetEncoder? poseEncoder)
    {
        if (depthEncoder is not null)
        {
            CheckEncoder(depthEncoder, nameof(depthEncoder));
        }

        if (poseEncoder is not null)
        {
            CheckEncoder(poseEncoder, nameof(poseEncoder));
        }

        var model = LoadModel(ModelPath);
        using var scope = NewDisposeScope();
        if (depthEncoder is not null)
        {
            ModuleWeights.Load(depthEncoder, StateDict(model, depthEncoder.InputImages, ModelPath), ModelPath);
        }

        if (poseEncoder is not null)
        {
            ModuleWeights.Load(poseEncoder, StateDict(model, poseEncoder.InputImages, ModelPath), ModelPath);
        }
    }

    /// <summary>Reads the ONNX file, with an error naming the expected path when it is missing or unreadable.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model.</exception>
    public static OnnxModel LoadModel(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"ImageNet ResNet-18 weights not found at '{path}'. They come from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 " +
                $"(a reference of Monodepth2.MLNet), which copies {RelativeModelPath} next to the build output; " +
                "pass the path of ResNet18.onnx explicitly if it lives elsewhere.",
                path);
        }

        return OnnxModel.Load(path);
    }

    /// <summary>
    /// Builds a Monodepth2 <see cref="ResnetEncoder"/> state dict (keys <c>encoder.conv1.weight</c>, ...) for an encoder
    /// taking <paramref name="inputImages"/> stacked RGB images, from the ONNX ResNet-18.
    /// </summary>
    /// <exception cref="InvalidDataException">The graph is not the expected ResNet-18.</exception>
    public Dictionary<string, Tensor> StateDict(OnnxModel model, int inputImages, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var graph = ResNetGraph.Parse(model, source);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);

        // Stem: fold the input normalisation into conv1 and bn1.
        var w = graph.Stem.ConvWeight(model); // [64, 3, 7, 7], BGR input channels, 0..255 - mean scale
        var bgrOffset = tensor(BgrPlaneMeans.Select(m => (float)((255.0 * ResnetEncoder.InputMean) - m)).ToArray()).reshape(1, 3, 1, 1);
        var d = (w * bgrOffset).sum([1, 2, 3]);
        var folded = w.flip(1) * S(InputScale);
        var conv1 = inputImages == 1 ? folded : folded.repeat(1, inputImages, 1, 1) / S((double)inputImages);
        result["encoder.conv1.weight"] = conv1;
        AddBatchNorm(result, "encoder.bn1", graph.Stem, model, meanShift: d);

        var stage = 0;
        foreach (var blocks in graph.Stages)
        {
            stage++;
            var keep = stage == 4 ? lastStageBlocks : Enumerable.Range(0, blocks.Count).ToArray();
            for (var i = 0; i < keep.Length; i++)
            {
                var block = blocks[keep[i]];
                var prefix = $"encoder.layer{stage}.{i}";
                result[$"{prefix}.conv1.weight"] = block.Conv1.ConvWeight(model);
                AddBatchNorm(result, $"{prefix}.bn1", block.Conv1, model);
                result[$"{prefix}.conv2.weight"] = block.Conv2.ConvWeight(model);
                AddBatchNorm(result, $"{prefix}.bn2", block.Conv2, model);
                if (block.Downsample is { } ds)
                {
                    result[$"{prefix}.downsample.0.weight"] = ds.ConvWeight(model);
                    AddBatchNorm(result, $"{prefix}.downsample.1", ds, model);
                }
            }
        }

        foreach (var t in result.Values)
        {
            t.MoveToOuterDisposeScope();
        }

        return result;
    }

    private static void CheckEncoder(ResnetEncoder encoder, string name)
    {
        if (encoder.Layers != 18)
        {
            throw new ArgumentException($"ImageNet weights from ResNet18.onnx fit a ResNet-18 encoder only (got ResNet-{encoder.Layers}).", name);
        }
    }

    private static void AddBatchNorm(Dictionary<string, Tensor> into, string prefix, ConvBn unit, OnnxModel model, Tensor? meanShift = null)
    {
        var (scale, bias, mean, var) = unit.BatchNorm(model);
        into[$"{prefix}.weight"] = scale;
        into[$"{prefix}.bias"] = bias;
        into[$"{prefix}.running_mean"] = meanShift is null ? mean : mean - meanShift;
        into[$"{prefix}.running_var"] = var;
        into[$"{prefix}.num_batches_tracked"] = tensor(0L);
    }

    /// <summary>A bias-free Conv node followed by its BatchNormalization node.</summary>
    private sealed record ConvBn(OnnxNode Conv, OnnxNode Bn)
    {
        public Tensor ConvWeight(OnnxModel model) => Initializer(model, Conv.Inputs[1]);

        public (Tensor Scale, Tensor Bias, Tensor Mean, Tensor Var) BatchNorm(OnnxModel model) =>
            (Initializer(model, Bn.Inputs[1]), Initializer(model, Bn.Inputs[2]), Initializer(model, Bn.Inputs[3]), Initializer(model, Bn.Inputs[4]));

        private static Tensor Initializer(OnnxModel model, string name)
        {
            var t = model.Initializers[name];
            return tensor(t.Data).reshape(t.Dims);
        }
    }

    private sealed record Block(ConvBn Conv1, ConvBn Conv2, ConvBn? Downsample);

    /// <summary>The ResNet-18 structure recovered from the ONNX graph.</summary>
    private sealed record ResNetGraph(ConvBn Stem, List<List<Block>> Stages)
    {
        /// <summary>ONNX BatchNormalization epsilon that torch's BatchNorm2d default matches.</summary>
        private const float TorchEpsilon = 1e-5f;

        public static ResNetGraph Parse(OnnxModel model, string source)
        {
            var producer = new Dictionary<string, OnnxNode>(StringComparer.Ordinal);
            foreach (var n in model.Nodes)
            {
                foreach (var o in n.Outputs)
                {
                    producer[o] = n;
                }
            }

            InvalidDataException Bad(string why) => new($"{source}: not the ImageNet ResNet-18 this importer expects: {why}.");

            OnnxNode? Producer(string value) => producer.GetValueOrDefault(value);

            ConvBn ConvBnOf(OnnxNode? bn)
            {
                if (bn is not { OpType: "BatchNormalization" } || bn.Inputs.Length != 5 || Producer(bn.Inputs[0]) is not { OpType: "Conv" } conv)
                {
                    throw Bad($"expected Conv -> BatchNormalization, found {bn?.OpType ?? "nothing"} '{bn?.Name}'");
                }

                if (conv.Inputs.Length != 2)
                {
                    throw Bad($"Conv '{conv.Name}' has a bias");
                }

                if (bn.Attributes.TryGetValue("epsilon", out var eps) && Math.Abs(eps.F - TorchEpsilon) > 1e-9f)
                {
                    throw Bad($"BatchNormalization '{bn.Name}' has epsilon {eps.F}, torch uses {TorchEpsilon}");
                }

                foreach (var name in conv.Inputs.Skip(1).Concat(bn.Inputs.Skip(1)))
                {
                    if (!model.Initializers.TryGetValue(name, out var t) || t.DataType != 1)
                    {
                        throw Bad($"'{name}' is not a float initializer");
                    }
                }

                return new ConvBn(conv, bn);
            }

            var firstConv = model.Nodes.FirstOrDefault(n => n.OpType == "Conv") ?? throw Bad("no Conv node");
            var stemBn = model.Nodes.FirstOrDefault(n => n.OpType == "BatchNormalization" && n.Inputs[0] == firstConv.Outputs[0]);
            var stem = ConvBnOf(stemBn);
            if (!model.Initializers[stem.Conv.Inputs[1]].Dims.SequenceEqual([64L, 3, 7, 7]))
            {
                throw Bad("the first convolution is not 64x3x7x7");
            }

            var stages = new List<List<Block>>();
            foreach (var add in model.Nodes.Where(n => n.OpType == "Add"))
            {
                if (add.Inputs.Length != 2)
                {
                    throw Bad($"Add '{add.Name}' does not have two inputs");
                }

                // The main branch ends in a BatchNormalization after a 3x3 conv; the other input is the shortcut.
                static bool IsMain(OnnxNode? bn, Func<string, OnnxNode?> producerOf, OnnxModel m) =>
                    bn is { OpType: "BatchNormalization" } && producerOf(bn.Inputs[0]) is { OpType: "Conv" } c && m.Initializers.TryGetValue(c.Inputs[1], out var w) && w.Dims.Length == 4 && w.Dims[2] == 3;

                var a = Producer(add.Inputs[0]);
                var b = Producer(add.Inputs[1]);
                var (main, shortcut) = IsMain(a, Producer, model) ? (a, b) : IsMain(b, Producer, model) ? (b, a) : throw Bad($"Add '{add.Name}' has no residual branch");
                var conv2 = ConvBnOf(main);
                if (Producer(conv2.Conv.Inputs[0]) is not { OpType: "Relu" } relu)
                {
                    throw Bad($"no Relu before '{conv2.Conv.Name}'");
                }

                var conv1 = ConvBnOf(Producer(relu.Inputs[0]));
                var downsample = shortcut is { OpType: "BatchNormalization" } ? ConvBnOf(shortcut) : null;
                var stride = conv1.Conv.Attributes.TryGetValue("strides", out var s) && s.Ints.Length > 0 ? s.Ints[0] : 1;
                if (stages.Count == 0 || stride != 1)
                {
                    stages.Add([]);
                }

                stages[^1].Add(new Block(conv1, conv2, downsample));
            }

            var depths = stages.Select(s => s.Count).ToArray();
            if (!depths.SequenceEqual([2, 2, 2, 3]))
            {
                throw Bad($"stage depths [{string.Join(", ", depths)}], expected [2, 2, 2, 3]");
            }

            return new ResNetGraph(stem, stages);
        }
    }
}
