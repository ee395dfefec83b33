using Monodepth2.Geometry;

namespace Monodepth2.MLNet.Transforms;

/// <summary>One row's depth after camera-height scaling (<see cref="CameraHeightScaling"/>).</summary>
/// <param name="Depth">The row's depth times <see cref="GroundPlaneFit.Scale"/>: metres when a plane was found, else unchanged.</param>
/// <param name="GroundPlane">The road-plane fit: found or not (with the reason), inlier share, residual, tilt, height, scale.</param>
public sealed record CameraHeightDepth(float[] Depth, GroundPlaneFit GroundPlane);
