using System.Globalization;

namespace Monodepth2.Geometry;

/// <summary>
/// The road plane fitted in one depth map by <see cref="GroundPlane.Fit"/> and the scale it gives, or why there is none.
/// Distances are in the depth map's units (before scaling). Statistics that could not be measured are NaN.
/// </summary>
/// <param name="Found">Whether an acceptable plane was found; if not, <see cref="Scale"/> is 1 (no scaling).</param>
/// <param name="Reason">Why no plane was accepted; null when found.</param>
/// <param name="CameraHeight">The camera height asked for, in metres.</param>
/// <param name="ValidPoints">Points with finite positive depth in the searched region.</param>
/// <param name="InlierShare">Share of <paramref name="ValidPoints"/> within the inlier threshold of the plane.</param>
/// <param name="RelativeRms">Root-mean-square distance of the inliers to the plane over <paramref name="FittedHeight"/>.</param>
/// <param name="TiltDegrees">Angle between the plane's normal and the camera's down axis (+y).</param>
/// <param name="FittedHeight">The camera centre's distance to the plane, in the depth map's units.</param>
/// <param name="Scale"><paramref name="CameraHeight"/> / <paramref name="FittedHeight"/> when found, else 1.</param>
public sealed record GroundPlaneFit(bool Found, string? Reason, double CameraHeight, int ValidPoints, double InlierShare, double RelativeRms,
    double TiltDegrees, double FittedHeight, double Scale)
{
    /// <summary>A copy of <paramref name="depth"/> times <see cref="Scale"/> (unchanged when no plane was found).</summary>
    public float[] Apply(ReadOnlySpan<float> depth)
    {
        var result = new float[depth.Length];
        for (var i = 0; i < depth.Length; i++)
        {
            result[i] = (float)(depth[i] * Scale);
        }

        return result;
    }

    /// <summary>
    /// One line: "ground plane: height 0.2357 (model units), tilt 1.2 deg, 84% of 12345 points, rms 1.3% of height -&gt; scale
    /// x7 (1.65 m)", or "no ground plane: &lt;reason&gt;; depth left unscaled".
    /// </summary>
    public string Describe() => Found
        ? string.Create(CultureInfo.InvariantCulture, $"ground plane: height {FittedHeight:G4} (model units), tilt {TiltDegrees:0.0} deg, {InlierShare * 100:0}% of {ValidPoints} points, rms {RelativeRms * 100:0.0}% of height -> scale x{Scale:G4} ({CameraHeight:0.###} m)")
        : $"no ground plane: {Reason}; depth left unscaled";
}
