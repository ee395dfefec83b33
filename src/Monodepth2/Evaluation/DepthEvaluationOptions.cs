using Monodepth2.Geometry;
using Monodepth2.Weights;

namespace Monodepth2.Evaluation;

/// <summary>
/// Settings of a depth evaluation, mirroring the reference's <c>evaluate_depth.py</c> options. The defaults are the
/// monocular protocol: per-image median scaling, no fixed factor, every ground truth &gt; 0 valid (as the reference
/// without the Eigen crop; with <see cref="EigenCrop"/> only 1e-3 &lt; gt &lt; 80), predictions clamped to [1e-3, 80]
/// (<see cref="DepthScaling.EvaluationMinDepth"/>, <see cref="DepthScaling.EvaluationMaxDepth"/>), no post-processing.
/// </summary>
public sealed record DepthEvaluationOptions
{
    /// <summary>
    /// Keep only pixels inside the Eigen crop whose ground truth lies in (<see cref="MinDepth"/>, <see cref="MaxDepth"/>), as
    /// the reference does for <c>--eval_split eigen</c>; without it every ground truth &gt; 0 counts.
    /// </summary>
    public bool EigenCrop { get; init; }

    /// <summary>Per-image median scaling pred *= median(gt) / median(pred) (monocular models; off for stereo).</summary>
    public bool MedianScaling { get; init; } = true;

    /// <summary>Fixed factor applied to predicted depth before median scaling (<c>--pred_depth_scale_factor</c>; 5.4 for stereo).</summary>
    public double ScaleFactor { get; init; } = 1.0;

    /// <summary>Lower clamp of the prediction and, with <see cref="EigenCrop"/>, lower validity bound of the ground truth (exclusive) (<see cref="DepthScaling.EvaluationMinDepth"/>).</summary>
    public double MinDepth { get; init; } = DepthScaling.EvaluationMinDepth;

    /// <summary>Upper clamp of the prediction and, with <see cref="EigenCrop"/>, upper validity bound of the ground truth (exclusive) (<see cref="DepthScaling.EvaluationMaxDepth"/>).</summary>
    public double MaxDepth { get; init; } = DepthScaling.EvaluationMaxDepth;

    /// <summary>Also predict on the horizontally flipped image and blend (<c>--post_process</c>); model evaluation only.</summary>
    public bool PostProcess { get; init; }

    /// <summary>
    /// When set, model evaluation saves the (post-processed) scaled disparities at the network's resolution as a
    /// float32 <c>.npy</c> of shape N x H x W (like <c>--save_pred_disps</c>); they can be evaluated again later as
    /// external disparities.
    /// </summary>
    public string? SavePredictions { get; init; }

    /// <summary>
    /// When set, camera-height scaling: each image's depth is multiplied by the scale that puts the road plane fitted in its
    /// lower part at this height in metres (<see cref="GroundPlane"/>; images without an acceptable plane stay unscaled and
    /// are counted in the report). Needs <see cref="MedianScaling"/> off; see <see cref="WithScaling"/>.
    /// </summary>
    public double? CameraHeight { get; init; }

    /// <summary>
    /// Normalised intrinsics of each evaluated image, in split order, for camera-height scaling; null: <see cref="Intrinsics.Kitti"/>
    /// for every image (see <see cref="DepthEvaluator.SplitIntrinsics"/>).
    /// </summary>
    public IReadOnlyList<Intrinsics>? ImageIntrinsics { get; init; }

    /// <summary>The monocular protocol (the defaults).</summary>
    public static DepthEvaluationOptions Mono { get; } = new();

    /// <summary>The stereo protocol (<c>--eval_stereo</c>): no median scaling, depth times 5.4.</summary>
    public static DepthEvaluationOptions Stereo { get; } = new DepthEvaluationOptions().ForStereo();

    /// <summary>
    /// The scaling a model is evaluated with by default, from its description alone, the one place that decides it:
    /// <see cref="DepthScalingMode.Stereo"/> (x5.4) for stereo-trained models, <see cref="DepthScalingMode.None"/> for other
    /// metric models (<see cref="ModelInfo.Metric"/>: velocity-supervised, depth in metres as predicted), else
    /// <see cref="DepthScalingMode.Median"/>.
    /// </summary>
    public static DepthScalingMode DefaultScaling(ModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return info.UseStereo ? DepthScalingMode.Stereo : info.Metric ? DepthScalingMode.None : DepthScalingMode.Median;
    }

    /// <summary>These options with the protocol the model's description asks for (<see cref="DefaultScaling"/>).</summary>
    public DepthEvaluationOptions For(ModelInfo info) => WithScaling(DefaultScaling(info));

    /// <summary>
    /// These options with a scaling mode: median (factor 1), stereo (factor 5.4), camera height (<paramref name="cameraHeight"/>
    /// metres, factor 1) or none (factor 1); <see cref="CameraHeight"/> is cleared for the other modes.
    /// </summary>
    public DepthEvaluationOptions WithScaling(DepthScalingMode mode, double cameraHeight = GroundPlaneOptions.KittiCameraHeight) => mode switch
    {
        DepthScalingMode.Median => this with { MedianScaling = true, ScaleFactor = 1.0, CameraHeight = null },
        DepthScalingMode.Stereo => ForStereo() with { CameraHeight = null },
        DepthScalingMode.CameraHeight => this with { MedianScaling = false, ScaleFactor = 1.0, CameraHeight = cameraHeight },
        DepthScalingMode.None => this with { MedianScaling = false, ScaleFactor = 1.0, CameraHeight = null },
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown scaling mode."),
    };

    /// <summary>These options with the stereo protocol: median scaling off and <see cref="ScaleFactor"/> = 5.4.</summary>
    public DepthEvaluationOptions ForStereo() => this with { MedianScaling = false, ScaleFactor = StereoBaseline.ScaleFactor };

    /// <summary>The per-image scaling settings for <see cref="DepthEvaluation.EvaluateImage"/>.</summary>
    public DepthScaling Scaling => new(MedianScaling, ScaleFactor, MinDepth, MaxDepth, LimitGroundTruth: EigenCrop);

    /// <summary>Throws <see cref="ArgumentException"/> when the options cannot work.</summary>
    public void Validate()
    {
        if (!(MinDepth >= 0) || !(MaxDepth > MinDepth))
        {
            throw new ArgumentException($"Need 0 <= MinDepth < MaxDepth (got {MinDepth}, {MaxDepth}).");
        }

        if (!(ScaleFactor > 0) || double.IsInfinity(ScaleFactor))
        {
            throw new ArgumentException($"ScaleFactor must be positive and finite (got {ScaleFactor}).");
        }

        if (CameraHeight is { } height && (!(height > 0) || double.IsInfinity(height) || MedianScaling))
        {
            throw new ArgumentException($"CameraHeight must be a positive number of metres and excludes median scaling (got {height}, median scaling {MedianScaling}).");
        }
    }
}
