using Microsoft.ML.Transforms.Image;

namespace Monodepth2.MLNet.Transforms;

/// <summary>
/// How a fitted depth transform scores images. What belongs to the model (input size, depth range, architecture,
/// stereo) is read from its model folder, never set here.
/// </summary>
public class DepthScoringOptions
{
    /// <summary>Also output the disparity (scaled, as the reference's <c>disp_to_depth</c>) under this column name; null: not.</summary>
    public string? DisparityColumnName { get; set; }

    /// <summary>Width of the output depth map; null: the network's input width. Set both to your images' size to get depth at the source size.</summary>
    public int? OutputWidth { get; set; }

    /// <summary>Height of the output depth map; null: the network's input height.</summary>
    public int? OutputHeight { get; set; }

    /// <summary>
    /// How images are brought to the network's input size (ML.NET's ResizeImages). <see cref="ImageResizingEstimator.ResizingKind.Fill"/>
    /// (default) stretches like Monodepth2 but samples nearest-neighbour; IsoPad / IsoCrop keep the aspect ratio. See the README for what it costs.
    /// </summary>
    public ImageResizingEstimator.ResizingKind Resizing { get; set; } = ImageResizingEstimator.ResizingKind.Fill;

    /// <summary>CUDA device for ONNX Runtime scoring; null: CPU. Not stored in a saved model: on load it comes from <c>MLContext.GpuDeviceId</c>.</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>Fall back to the CPU when the GPU cannot be used.</summary>
    public bool FallbackToCpu { get; set; } = true;
}
