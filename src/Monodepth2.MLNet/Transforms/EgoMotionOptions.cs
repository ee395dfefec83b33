using Microsoft.ML.Transforms.Image;

namespace Monodepth2.MLNet.Transforms;

/// <summary>Options of <c>EstimateEgoMotion</c> (the pose network's architecture and input size come from the model folder).</summary>
public sealed class EgoMotionOptions
{
    /// <summary>Also output the axis-angle rotation (3 floats, radians) under this name; null: not.</summary>
    public string? AxisAngleColumnName { get; set; }

    /// <summary>Also output the translation (3 floats; metric for stereo-trained models after x5.4) under this name; null: not.</summary>
    public string? TranslationColumnName { get; set; }

    /// <summary>How images are brought to the network's input size (ML.NET's ResizeImages).</summary>
    public ImageResizingEstimator.ResizingKind Resizing { get; set; } = ImageResizingEstimator.ResizingKind.Fill;

    /// <summary>CUDA device for ONNX Runtime scoring; null: CPU.</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>Fall back to the CPU when the GPU cannot be used.</summary>
    public bool FallbackToCpu { get; set; } = true;
}
