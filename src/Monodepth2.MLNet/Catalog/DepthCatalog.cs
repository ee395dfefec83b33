using Monodepth2.MLNet.Transforms;

// In ML.NET's namespace, like ML.NET's own catalog extensions, so that mlContext.Transforms.EstimateDepth is found
// wherever Microsoft.ML is imported.
namespace Microsoft.ML;

/// <summary>Monodepth2 transforms on <c>mlContext.Transforms</c>.</summary>
public static class DepthCatalog
{
    /// <summary>
    /// Self-supervised depth: <c>Fit</c> trains the depth and pose networks on the frames of the data (one row per
    /// frame: the image column, a sequence id and a frame index; a side column for stereo), without depth labels, and
    /// the fitted transform adds a depth column to any data with that image column.
    /// </summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="outputColumnName">Depth column to add: float vector [1, 1, H, W].</param>
    /// <param name="inputColumnName">Image column (from LoadImages).</param>
    /// <param name="options">Training and scoring options; default: the reference's training at 640x192.</param>
    public static DepthEstimator EstimateDepth(this TransformsCatalog catalog, string outputColumnName, string inputColumnName, DepthEstimatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return DepthEstimator.ForTraining(catalog, outputColumnName, inputColumnName, options);
    }

    /// <summary>
    /// Depth from a trained model folder (this project's or the reference's: encoder.pth, depth.pth); <c>Fit</c> does not
    /// train, it prepares scoring.
    /// </summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="outputColumnName">Depth column to add: float vector [1, 1, H, W].</param>
    /// <param name="inputColumnName">Image column (from LoadImages).</param>
    /// <param name="modelFolder">The model folder.</param>
    /// <param name="options">Scoring options (output size, disparity column, resizing, GPU).</param>
    public static DepthEstimator EstimateDepth(this TransformsCatalog catalog, string outputColumnName, string inputColumnName, string modelFolder,
        DepthScoringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return DepthEstimator.ForModel(catalog, outputColumnName, inputColumnName, modelFolder, options);
    }

    /// <summary>
    /// Camera ego-motion between two image columns from a model folder's pose network (pose_encoder.pth, pose.pth): a
    /// 4x4 transform (float vector [1, 4, 4], row-major) that maps points in the first image's camera into the second's.
    /// </summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="outputColumnName">Transform column to add: float vector [1, 4, 4].</param>
    /// <param name="firstImageColumnName">The earlier frame.</param>
    /// <param name="secondImageColumnName">The later frame.</param>
    /// <param name="modelFolder">The model folder.</param>
    /// <param name="options">Axis-angle / translation columns, resizing, GPU.</param>
    public static EgoMotionEstimator EstimateEgoMotion(this TransformsCatalog catalog, string outputColumnName, string firstImageColumnName,
        string secondImageColumnName, string modelFolder, EgoMotionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new EgoMotionEstimator(catalog, outputColumnName, firstImageColumnName, secondImageColumnName, modelFolder, options ?? new EgoMotionOptions());
    }
}
