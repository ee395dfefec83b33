using Monodepth2.Geometry;

namespace Monodepth2.Evaluation;

/// <summary>What camera-height scaling did over an evaluation (<see cref="DepthEvaluationOptions.CameraHeight"/>).</summary>
/// <param name="CameraHeight">The camera height in metres.</param>
/// <param name="Fits">Each image's plane fit, in split order (images without a plane were left unscaled).</param>
/// <remarks>The median ratio ground truth / prediction after the scaling is the report's <see cref="DepthEvaluationReport.ScaleRatio"/>.</remarks>
public sealed record GroundPlaneSummary(double CameraHeight, IReadOnlyList<GroundPlaneFit> Fits)
{
    /// <summary>Images in which a plane was found.</summary>
    public int PlanesFound => Fits.Count(f => f.Found);
}
