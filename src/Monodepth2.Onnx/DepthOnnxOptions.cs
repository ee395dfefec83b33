using Monodepth2.Geometry;

namespace Monodepth2.Onnx;

/// <summary>Settings of a depth network exported by <see cref="DepthOnnxExporter"/> beyond the model's own description.</summary>
public sealed record DepthOnnxOptions
{
    /// <summary>Width of the <c>disparity</c> and <c>depth</c> outputs; null: the network's input width.</summary>
    public int? OutputWidth { get; init; }

    /// <summary>Height of the <c>disparity</c> and <c>depth</c> outputs; null: the network's input height.</summary>
    public int? OutputHeight { get; init; }

    /// <summary>
    /// Factor of <c>depth = DepthScale / disparity</c>; null: the model's <see cref="Weights.ModelInfo.DepthScale"/>
    /// (<see cref="StereoBaseline.ScaleFactor"/>, metres, for stereo-trained models; 1 for monocular ones). Set it for a
    /// stereo rig whose baseline is not KITTI's. The depth range of the disparity mapping is the model's.
    /// </summary>
    public double? DepthScale { get; init; }

    /// <summary>
    /// Fixed batch size of the graph's inputs and outputs; null: a symbolic batch dimension named "batch". ML.NET's
    /// ApplyOnnxModel scores one row at a time and wants 1 here.
    /// </summary>
    public int? BatchSize { get; init; }
}
