using System.Globalization;
using Monodepth2.Geometry;
using Monodepth2.Networks;
using Monodepth2.Weights;
using static Monodepth2.Onnx.OnnxGraphBuilder;
using static TorchSharp.torch;
using DataType = Monodepth2.Onnx.Proto.TensorProto.Types.DataType;

namespace Monodepth2.Onnx;

/// <summary>
/// Exports Monodepth2's pose network (eval mode) as a self-contained ONNX model (IR 8, opset 17): two frames in, the
/// relative camera motion out, as <see cref="PoseNetwork.PredictPair"/> and
/// <see cref="PoseMath.TransformationFromParameters"/> compute it.
/// </summary>
/// <remarks>
/// Supported variants: <see cref="PoseNetworkKind.SeparateResnet"/> (the 6-channel pose encoder on the stacked frames,
/// then the pose decoder on its last feature map), <see cref="PoseNetworkKind.PoseCnn"/> (on the stacked frames) and
/// <see cref="PoseNetworkKind.Shared"/> (the depth encoder on each frame, then the pose decoder on both last feature
/// maps; the depth encoder's weights are then part of the pose graph). Only the first predicted frame is output, as
/// <see cref="PoseNetwork.PredictPair"/> does. The rotation is Rodrigues' formula written node for node as
/// <see cref="PoseMath.RotationFromAxisAngle"/> computes it (angle = L2 norm, axis = v / (angle + 1e-7)); the transform is
/// T(t) R, i.e. R with t in its last column. Initializers are named <c>pose_encoder/&lt;key&gt;</c>,
/// <c>pose/&lt;key&gt;</c> (and <c>encoder/&lt;key&gt;</c> for the shared variant) with the state-dict keys of the
/// model folder's files.
/// </remarks>
public static class PoseOnnxExporter
{
    /// <summary>Input: float [batch, 3, H, W], RGB in [0, 1]: the earlier frame.</summary>
    public const string FirstInput = "frame0";

    /// <summary>Input: float [batch, 3, H, W], RGB in [0, 1]: the later frame.</summary>
    public const string SecondInput = "frame1";

    /// <summary>Output: float [batch, 3], the axis-angle rotation (radians) of <see cref="PoseNetwork.PredictPair"/>(frame0, frame1).</summary>
    public const string AxisAngleOutput = "axisangle";

    /// <summary>Output: float [batch, 3], the translation (the network's scale-less units).</summary>
    public const string TranslationOutput = "translation";

    /// <summary>
    /// Output: float [batch, 4, 4], <see cref="PoseMath.TransformationFromParameters"/>(axisangle, translation, invert:
    /// false): maps points in frame0's camera into frame1's camera.
    /// </summary>
    public const string TransformOutput = "transform";

    /// <summary>Exports the pose network of <paramref name="networks"/> as ONNX model bytes.</summary>
    /// <param name="networks">Networks with a pose network (and, for the shared variant, the depth encoder it uses).</param>
    /// <param name="info">Input size (the training size).</param>
    /// <param name="batchSize">Fixed batch size; null: a symbolic batch dimension named "batch".</param>
    /// <exception cref="ArgumentException">The networks have no pose network, or the size or batch size is not valid.</exception>
    public static byte[] Export(MonodepthNetworks networks, ModelInfo info, int? batchSize = null)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(info);
        var pose = networks.Pose ?? throw new ArgumentException("The networks have no pose network (created with withPose: false?).", nameof(networks));
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new ArgumentException($"The input size must be positive (got {info.Width}x{info.Height}).", nameof(info));
        }

        if (batchSize is < 1)
        {
            throw new ArgumentException($"The batch size must be at least 1, or null for a symbolic batch (got {batchSize}).", nameof(batchSize));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var graph = new OnnxGraphBuilder("monodepth2_pose");
        var emit = new NetworkEmitter(graph);
        OnnxDim batch = batchSize is { } b ? b : OnnxDim.Symbolic(DepthOnnxExporter.BatchDimension);
        var frame0 = graph.AddInput(FirstInput, DataType.Float, batch, 3, info.Height, info.Width);
        var frame1 = graph.AddInput(SecondInput, DataType.Float, batch, 3, info.Height, info.Width);

        string raw; // [B, 6F]: axis-angle and translation of each predicted frame, the first one first
        switch (pose.Kind)
        {
            case PoseNetworkKind.SeparateResnet:
                {
                    var encoder = pose.Encoder!;
                    if (encoder.InputImages != 2)
                    {
                        throw new ArgumentException($"The pose encoder must take two stacked frames (this one takes {encoder.InputImages}).", nameof(networks));
                    }

                    var stacked = graph.Node("Concat", [frame0, frame1], "pose_encoder/stacked", null, Attr("axis", 1L));
                    var features = emit.Encoder(encoder, "pose_encoder", emit.NormalizeInput(stacked, "pose_encoder"), "pose_encoder");
                    raw = emit.PoseHead(pose.Decoder!, "pose", [features[4]], "pose");
                    break;
                }

            case PoseNetworkKind.Shared:
                {
                    var f0 = emit.Encoder(networks.Encoder, "encoder", emit.NormalizeInput(frame0, "encoder0"), "encoder0");
                    var f1 = emit.Encoder(networks.Encoder, "encoder", emit.NormalizeInput(frame1, "encoder1"), "encoder1");
                    raw = emit.PoseHead(pose.Decoder!, "pose", [f0[4], f1[4]], "pose");
                    break;
                }

            case PoseNetworkKind.PoseCnn:
                raw = emit.PoseCnnHead(pose.Cnn!, "pose", graph.Node("Concat", [frame0, frame1], "pose/stacked", null, Attr("axis", 1L)), "pose");
                break;

            default:
                throw new NotSupportedException($"Pose network kind {pose.Kind} cannot be exported.");
        }

        var axisAngle = Columns(graph, raw, 0, 3, AxisAngleOutput);
        var translation = Columns(graph, raw, 3, 6, TranslationOutput);
        Transform(graph, axisAngle, translation);
        graph.AddOutput(AxisAngleOutput, DataType.Float, batch, 3);
        graph.AddOutput(TranslationOutput, DataType.Float, batch, 3);
        graph.AddOutput(TransformOutput, DataType.Float, batch, 4, 4);

        graph.AddMetadata("monodepth2.network", "pose");
        graph.AddMetadata("monodepth2.pose_network", pose.Kind.ToString());
        graph.AddMetadata("monodepth2.width", info.Width.ToString(CultureInfo.InvariantCulture));
        graph.AddMetadata("monodepth2.height", info.Height.ToString(CultureInfo.InvariantCulture));
        return graph.ToBytes(
            $"Monodepth2 pose network ({pose.Kind}, {info.Width}x{info.Height}): {FirstInput}, {SecondInput} RGB [0,1] -> " +
            $"{AxisAngleOutput}, {TranslationOutput}, {TransformOutput} (frame0's camera to frame1's).");
    }

    /// <summary>Exports the pose network of <paramref name="networks"/> into an ONNX file, written atomically.</summary>
    /// <exception cref="ArgumentException">The networks have no pose network, or the size or batch size is not valid.</exception>
    public static void Save(string path, MonodepthNetworks networks, ModelInfo info, int? batchSize = null)
    {
        var bytes = Export(networks, info, batchSize);
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    private static string Columns(OnnxGraphBuilder graph, string x, long start, long end, string output) =>
        graph.Node("Slice", [x, graph.Ints(start), graph.Ints(end), graph.Ints(1)], output, output);

    /// <summary>
    /// <see cref="PoseMath.TransformationFromParameters"/> without inversion, operation for operation as
    /// <see cref="PoseMath.RotationFromAxisAngle"/> writes it. T(t) R differs from R only in its last column, which
    /// becomes [t, 1] exactly (the products with R's zero and one entries are exact), so it is assembled directly.
    /// </summary>
    private static void Transform(OnnxGraphBuilder graph, string axisAngle, string translation)
    {
        string Op(string op, string a, string b, string hint) => graph.Node(op, [a, b], "transform/" + hint);
        string Column(string v, long k, string hint) => graph.Node("Slice", [v, graph.Ints(k), graph.Ints(k + 1), graph.Ints(1)], "transform/" + hint);

        var angle = graph.Node("ReduceL2", [axisAngle], "transform/angle", null, Attr("axes", [1L]), Attr("keepdims", 1L));
        var axis = Op("Div", axisAngle, Op("Add", angle, graph.Scalar((float)PoseMath.AngleEpsilon), "angle_eps"), "axis");
        var ca = graph.Node("Cos", [angle], "transform/cos");
        var sa = graph.Node("Sin", [angle], "transform/sin");
        var c = Op("Sub", graph.Scalar(1f), ca, "one_minus_cos");
        var x = Column(axis, 0, "x");
        var y = Column(axis, 1, "y");
        var z = Column(axis, 2, "z");
        var xs = Op("Mul", x, sa, "xs");
        var ys = Op("Mul", y, sa, "ys");
        var zs = Op("Mul", z, sa, "zs");
        var xyC = Op("Mul", Op("Mul", x, y, "xy"), c, "xyC");
        var yzC = Op("Mul", Op("Mul", y, z, "yz"), c, "yzC");
        var zxC = Op("Mul", Op("Mul", z, x, "zx"), c, "zxC");
        string Diagonal(string v, string hint) => Op("Add", Op("Mul", Op("Mul", v, v, hint + "2"), c, hint + "2C"), ca, hint);

        var shape = graph.Node("Shape", [x], "transform/column_shape");
        var zero = graph.Node("ConstantOfShape", [shape], "transform/zero", null, FloatTensorAttr("value", 0f));
        var one = graph.Node("ConstantOfShape", [shape], "transform/one", null, FloatTensorAttr("value", 1f));
        string[] entries =
        [
            Diagonal(x, "r00"), Op("Sub", xyC, zs, "r01"), Op("Add", zxC, ys, "r02"), Column(translation, 0, "tx"),
            Op("Add", xyC, zs, "r10"), Diagonal(y, "r11"), Op("Sub", yzC, xs, "r12"), Column(translation, 1, "ty"),
            Op("Sub", zxC, ys, "r20"), Op("Add", yzC, xs, "r21"), Diagonal(z, "r22"), Column(translation, 2, "tz"),
            zero, zero, zero, one,
        ];
        var flat = graph.Node("Concat", entries, "transform/flat", null, Attr("axis", 1L));
        graph.Node("Reshape", [flat, graph.Ints(-1, 4, 4)], TransformOutput, TransformOutput);
    }
}
