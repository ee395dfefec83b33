using Monodepth2.Geometry;

namespace Monodepth2.Evaluation;

/// <summary>What camera-height scaling did over an evaluation (<see cref="DepthEvaluationOptions.CameraHeight"/>).</summary>
/// <param name="CameraHeight">The camera height in metres.</param>
/// <param name="Fits">Each image's plane fit, in split order (images without a plane were left unscaled).</param>
/// <param name="MedianRatio">Median over images of median(gt) / median(pred) after the scaling: 1 for exact metric scale.</param>
public sealed record GroundPlaneSummary(double CameraHeight, IReadOnlyList<GroundPlaneFit> Fits, double MedianRatio)
{
    /// <summary>Images in which a plane was found.</summary>
    public int PlanesFound => Fits.Count(f => f.Found);
}
