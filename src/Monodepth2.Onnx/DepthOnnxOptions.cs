using Monodepth2.Evaluation;
using Monodepth2.Geometry;

namespace Monodepth2.Onnx;

/// <summary>Settings of a depth network exported by <see cref="DepthOnnxExporter"/>.</summary>
public sealed record DepthOnnxOptions
{
    /// <summary>Width of the <c>disparity</c> and <c>depth</c> outputs; null: the network's input width.</summary>
    public int? OutputWidth { get; init; }

    /// <summary>Height of the <c>disparity</c> and <c>depth</c> outputs; null: the network's input height.</summary>
    public int? OutputHeight { get; init; }

    /// <summary>Minimum depth of the sigmoid-to-disparity mapping (<see cref="DepthConversion.DispToDepth(TorchSharp.torch.Tensor, double, double)"/>).</summary>
    public double MinDepth { get; init; } = DepthConversion.DefaultMinDepth;

    /// <summary>Maximum depth of the sigmoid-to-disparity mapping.</summary>
    public double MaxDepth { get; init; } = DepthConversion.DefaultMaxDepth;

    /// <summary>
    /// Factor of <c>depth = DepthScale / disparity</c>; null: <see cref="DepthScaling.StereoScaleFactor"/> (5.4, metres)
    /// for stereo-trained models, 1 for monocular ones.
    /// </summary>
    public double? DepthScale { get; init; }

    /// <summary>
    /// Fixed batch size of the graph's inputs and outputs; null: a symbolic batch dimension named "batch". ML.NET's
    /// ApplyOnnxModel scores one row at a time and wants 1 here.
    /// </summary>
    public int? BatchSize { get; init; }
}
