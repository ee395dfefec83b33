using Monodepth2.Geometry;

namespace Monodepth2.Inference;

/// <summary>One image's prediction, row major.</summary>
/// <param name="Disparity">Scaled disparity (1 / depth in the network's units) at <paramref name="Width"/> x <paramref name="Height"/>.</param>
/// <param name="Depth">
/// Depth: metres for metric models (stereo-trained after the 5.4 factor, or velocity-supervised) and after camera-height
/// scaling with a plane found, up to scale otherwise.
/// </param>
/// <param name="Width">Width of both maps.</param>
/// <param name="Height">Height of both maps.</param>
/// <param name="IsMetric">Whether <paramref name="Depth"/> is in metres (a metric model, <see cref="Weights.ModelInfo.Metric"/>, or a ground plane found).</param>
public sealed record DepthPrediction(float[] Disparity, float[] Depth, int Width, int Height, bool IsMetric)
{
    /// <summary>
    /// The road-plane fit when <see cref="DepthPredictor.CameraHeightScaling"/> was set (then <see cref="Depth"/> is already
    /// multiplied by its scale, or left unscaled when no plane was found); null otherwise. <see cref="Disparity"/> is never rescaled.
    /// </summary>
    public GroundPlaneFit? GroundPlane { get; init; }
}
