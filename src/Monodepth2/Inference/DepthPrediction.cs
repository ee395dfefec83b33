namespace Monodepth2.Inference;

/// <summary>One image's prediction, row major.</summary>
/// <param name="Disparity">Scaled disparity (1 / depth in the network's units) at <paramref name="Width"/> x <paramref name="Height"/>.</param>
/// <param name="Depth">Depth: metres for metric models (stereo-trained after the 5.4 factor, or velocity-supervised), up to scale for other mono models.</param>
/// <param name="Width">Width of both maps.</param>
/// <param name="Height">Height of both maps.</param>
/// <param name="IsMetric">Whether <paramref name="Depth"/> is in metres (<see cref="Weights.ModelInfo.Metric"/>).</param>
public sealed record DepthPrediction(float[] Disparity, float[] Depth, int Width, int Height, bool IsMetric);
