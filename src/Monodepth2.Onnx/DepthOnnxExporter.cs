using System.Globalization;
using Monodepth2.Networks;
using Monodepth2.Weights;
using static Monodepth2.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;
using DataType = Monodepth2.Onnx.Proto.TensorProto.Types.DataType;

namespace Monodepth2.Onnx;

/// <summary>
/// Exports Monodepth2's depth network (encoder and decoder, eval mode) as a self-contained ONNX model (IR 8, opset 17):
/// input <see cref="InputName"/> [batch, 3, H, W] RGB in [0, 1] at the model's training size, outputs
/// <see cref="DisparityOutput"/> and <see cref="DepthOutput"/> [batch, 1, outH, outW].
/// </summary>
/// <remarks>
/// <para>
/// The graph holds the input normalisation (x - 0.45) / 0.225, the ResNet encoder (Conv, BatchNormalization with the
/// running statistics, Relu, MaxPool, residual Add), the decoder (reflection Pad + Conv, Elu, nearest x2 Resize matching
/// PyTorch's <c>interpolate(mode=nearest)</c>, skip Concat), only the full-resolution disparity head with its Sigmoid,
/// the scaling min_disp + (max_disp - min_disp) * sigmoid of <see cref="Geometry.DepthConversion.DispToDepth(Tensor, double, double)"/>,
/// an optional bilinear Resize (half_pixel, PyTorch's <c>align_corners=false</c>) to the output size, and
/// depth = scale / disparity. The other decoder scales are not exported.
/// </para>
/// <para>
/// Batch norms are exported in inference form whatever mode the modules are in, so the ONNX model computes what the
/// networks compute after <c>eval()</c>. Initializers are named <c>encoder/&lt;key&gt;</c> and <c>depth/&lt;key&gt;</c>
/// with the state-dict keys of <c>encoder.pth</c> and <c>depth.pth</c>. The model's metadata records the input size,
/// modality, depth range and scale.
/// </para>
/// </remarks>
public static class DepthOnnxExporter
{
    /// <summary>Input: float [batch, 3, H, W], planar RGB in [0, 1]; H and W are <see cref="ModelInfo.Height"/> and <see cref="ModelInfo.Width"/>.</summary>
    public const string InputName = "image";

    /// <summary>
    /// Output: float [batch, 1, outH, outW], the scaled disparity min_disp + (max_disp - min_disp) * sigmoid, resized
    /// bilinearly (align_corners = false) when the output size differs from the input size.
    /// </summary>
    public const string DisparityOutput = "disparity";

    /// <summary>Output: float [batch, 1, outH, outW], <see cref="DepthOnnxOptions.DepthScale"/> / disparity.</summary>
    public const string DepthOutput = "depth";

    /// <summary>Name of the symbolic batch dimension when <see cref="DepthOnnxOptions.BatchSize"/> is null.</summary>
    public const string BatchDimension = "batch";

    /// <summary>Exports the depth encoder and decoder as ONNX model bytes.</summary>
    /// <param name="encoder">The depth encoder (3 input channels).</param>
    /// <param name="decoder">The depth decoder; it must have output scale 0 and fit the encoder.</param>
    /// <param name="info">Training size (the graph's input size, multiples of 32) and modality.</param>
    /// <param name="options">Output size, depth range and scale, batch size; null for the defaults.</param>
    /// <exception cref="ArgumentException">The networks, sizes or options are not exportable (the message says why).</exception>
    public static byte[] Export(ResnetEncoder encoder, DepthDecoder decoder, ModelInfo info, DepthOnnxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(info);
        options ??= new DepthOnnxOptions();
        var outWidth = options.OutputWidth ?? info.Width;
        var outHeight = options.OutputHeight ?? info.Height;
        var scale = options.DepthScale ?? info.DepthScale;
        Validate(encoder, decoder, info, options, outWidth, outHeight, scale);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var graph = new OnnxGraphBuilder("monodepth2_depth");
        var emit = new NetworkEmitter(graph);
        OnnxDim batch = options.BatchSize is { } b ? b : OnnxDim.Symbolic(BatchDimension);
        var image = graph.AddInput(InputName, DataType.Float, batch, 3, info.Height, info.Width);

        var features = emit.Encoder(encoder, "encoder", emit.NormalizeInput(image, "encoder"), "encoder");
        var sigmoid = graph.Node("Sigmoid", [Decoder(emit, decoder, features)], "decoder/sigmoid0");

        var minDisp = 1.0 / info.MaxDepth;
        var maxDisp = 1.0 / info.MinDepth;
        var resize = outWidth != info.Width || outHeight != info.Height;
        var scaled = graph.Node("Add", [graph.Node("Mul", [sigmoid, graph.Scalar((float)(maxDisp - minDisp))], "disparity/times_range"), graph.Scalar((float)minDisp)],
            "disparity/scaled", resize ? null : DisparityOutput);
        if (resize)
        {
            // Resize's sizes cover every axis in opset 17: [batch, 1] from the tensor itself, then the output size.
            var sizes = options.BatchSize is { } fixedBatch
                ? graph.Ints(fixedBatch, 1, outHeight, outWidth)
                : graph.Node("Concat", [graph.Node("Shape", [scaled], "disparity/batch_channels", null, Attr("start", 0L), Attr("end", 2L)), graph.Ints(outHeight, outWidth)],
                    "disparity/sizes", null, Attr("axis", 0L));
            graph.Node("Resize", [scaled, "", "", sizes], "disparity/resized", DisparityOutput,
                Attr("mode", "linear"), Attr("coordinate_transformation_mode", "half_pixel"));
        }

        graph.Node("Div", [graph.Scalar((float)scale), DisparityOutput], "depth", DepthOutput);
        graph.AddOutput(DisparityOutput, DataType.Float, batch, 1, outHeight, outWidth);
        graph.AddOutput(DepthOutput, DataType.Float, batch, 1, outHeight, outWidth);

        graph.AddMetadata("monodepth2.network", "depth");
        graph.AddMetadata("monodepth2.layers", encoder.Layers.ToString(CultureInfo.InvariantCulture));
        graph.AddMetadata("monodepth2.width", info.Width.ToString(CultureInfo.InvariantCulture));
        graph.AddMetadata("monodepth2.height", info.Height.ToString(CultureInfo.InvariantCulture));
        graph.AddMetadata("monodepth2.use_stereo", info.UseStereo ? "true" : "false");
        graph.AddMetadata("monodepth2.metric", info.Metric ? "true" : "false");
        graph.AddMetadata("monodepth2.min_depth", info.MinDepth.ToString("R", CultureInfo.InvariantCulture));
        graph.AddMetadata("monodepth2.max_depth", info.MaxDepth.ToString("R", CultureInfo.InvariantCulture));
        graph.AddMetadata("monodepth2.depth_scale", scale.ToString("R", CultureInfo.InvariantCulture));
        return graph.ToBytes(
            $"Monodepth2 depth network (ResNet-{encoder.Layers}, {info.Width}x{info.Height}, {(info.UseStereo ? "stereo" : "mono")}): " +
            $"{InputName} RGB [0,1] -> {DisparityOutput}, {DepthOutput} at {outWidth}x{outHeight}.");
    }

    /// <summary>Exports the depth encoder and decoder of <paramref name="networks"/> as ONNX model bytes.</summary>
    /// <exception cref="ArgumentException">The networks, sizes or options are not exportable.</exception>
    public static byte[] Export(MonodepthNetworks networks, ModelInfo info, DepthOnnxOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(networks);
        return Export(networks.Encoder, networks.Decoder, info, options);
    }

    /// <summary>Exports the depth network of <paramref name="networks"/> into an ONNX file, written atomically.</summary>
    /// <exception cref="ArgumentException">The networks, sizes or options are not exportable.</exception>
    public static void Save(string path, MonodepthNetworks networks, ModelInfo info, DepthOnnxOptions? options = null)
    {
        var bytes = Export(networks, info, options);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>The decoder up to the scale-0 disparity head's convolution (before the sigmoid).</summary>
    private static string Decoder(NetworkEmitter emit, DepthDecoder decoder, string[] features)
    {
        var x = features[4];
        for (var i = 4; i >= 0; i--)
        {
            var k = 2 * (4 - i); // module-list index of upconv(i, 0); upconv(i, 1) follows it
            x = emit.ConvElu(decoder, "depth", Key(k), x, $"decoder/upconv{i}0");
            x = emit.UpsampleNearest2x(x, $"decoder/upsample{i}");
            if (decoder.UseSkips && i > 0)
            {
                x = emit.Graph.Node("Concat", [x, features[i - 1]], $"decoder/skip{i}", null, Attr("axis", 1L));
            }

            x = emit.ConvElu(decoder, "depth", Key(k + 1), x, $"decoder/upconv{i}1");
        }

        return emit.ReflectConv3x3(decoder, "depth", Key(HeadIndex(decoder)), x, "decoder/dispconv0");
    }

    private static string Key(int k) => string.Create(CultureInfo.InvariantCulture, $"decoder.{k}");

    /// <summary>Module-list index of the scale-0 disparity head: the heads follow the ten blocks in the order of the scales.</summary>
    private static int HeadIndex(DepthDecoder decoder) => 10 + decoder.Scales.ToList().IndexOf(0);

    private static void Validate(ResnetEncoder encoder, DepthDecoder decoder, ModelInfo info, DepthOnnxOptions options, int outWidth, int outHeight, double scale)
    {
        if (info.Width <= 0 || info.Height <= 0 || info.Width % 32 != 0 || info.Height % 32 != 0)
        {
            throw new ArgumentException($"The model's input size must be positive multiples of 32 (got {info.Width}x{info.Height}).", nameof(info));
        }

        if (outWidth <= 0 || outHeight <= 0)
        {
            throw new ArgumentException($"The output size must be positive (got {outWidth}x{outHeight}).", nameof(options));
        }

        if (!(info.MinDepth > 0) || !(info.MaxDepth > info.MinDepth) || double.IsInfinity(info.MaxDepth))
        {
            throw new ArgumentException($"The depth range must satisfy 0 < MinDepth < MaxDepth < infinity (got {info.MinDepth}, {info.MaxDepth}).", nameof(info));
        }

        if (!(scale > 0) || double.IsInfinity(scale))
        {
            throw new ArgumentException($"DepthScale must be positive and finite (got {scale}).", nameof(options));
        }

        if (options.BatchSize is < 1)
        {
            throw new ArgumentException($"BatchSize must be at least 1, or null for a symbolic batch (got {options.BatchSize}).", nameof(options));
        }

        if (encoder.InputImages != 1)
        {
            throw new ArgumentException($"The depth encoder must take one RGB image (this one takes {encoder.InputImages}; a pose encoder?).", nameof(encoder));
        }

        if (!decoder.Scales.Contains(0))
        {
            throw new ArgumentException($"The depth decoder has no full-resolution output (scale 0); its scales are {string.Join(", ", decoder.Scales)}.", nameof(decoder));
        }

        var weights = decoder.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape, StringComparer.Ordinal);
        long InChannels(string key) => weights.TryGetValue(key, out var shape) && shape.Length == 4
            ? shape[1]
            : throw new ArgumentException($"The depth decoder has no 3x3 convolution weight '{key}'.", nameof(decoder));
        var enc = encoder.NumChannels;
        var dec = DepthDecoder.DecoderChannels;
        for (var i = 4; i >= 0; i--)
        {
            var k = 2 * (4 - i);
            var expected0 = i == 4 ? enc[4] : dec[i + 1];
            var expected1 = dec[i] + (decoder.UseSkips && i > 0 ? enc[i - 1] : 0);
            if (InChannels($"{Key(k)}.conv.conv.weight") != expected0 || InChannels($"{Key(k + 1)}.conv.conv.weight") != expected1)
            {
                throw new ArgumentException(
                    $"The depth decoder does not fit the ResNet-{encoder.Layers} encoder (encoder channels {string.Join(", ", enc)}): decoder level {i} takes " +
                    $"{InChannels($"{Key(k)}.conv.conv.weight")} and {InChannels($"{Key(k + 1)}.conv.conv.weight")} channels, expected {expected0} and {expected1}.",
                    nameof(decoder));
            }
        }

        var head = weights.GetValueOrDefault($"{Key(HeadIndex(decoder))}.conv.weight");
        if (head is not { Length: 4 } || head[0] != 1)
        {
            throw new ArgumentException("The depth decoder's scale-0 head must have one output channel (a mask decoder cannot be exported as depth).", nameof(decoder));
        }
    }
}
