namespace Monodepth2.Losses;

/// <summary>How the per-source reprojection errors are reduced per pixel.</summary>
public enum ReprojectionReduction
{
    /// <summary>Per-pixel minimum over source frames (Monodepth2).</summary>
    Minimum,

    /// <summary>Per-pixel average over source frames (the reference's <c>avg_reprojection</c> ablation).</summary>
    Average,
}

/// <summary>Where the loss of each output scale is computed.</summary>
public enum MultiScaleMode
{
    /// <summary>Each disparity is upsampled to the input size and warped there (Monodepth2).</summary>
    FullResolution,

    /// <summary>Each scale is warped and compared at its own size (the reference's <c>v1_multiscale</c> ablation).</summary>
    NativeResolution,
}

/// <summary>Settings of the Monodepth2 training loss. Defaults are the reference's.</summary>
public sealed record LossOptions
{
    /// <summary>The reference's disparity smoothness weight (<c>--disparity_smoothness</c>), 1e-3.</summary>
    public const double DefaultSmoothnessWeight = 1e-3;

    /// <summary>Output scales the loss is averaged over. Default 0, 1, 2, 3.</summary>
    public IReadOnlyList<int> Scales { get; init; } = [0, 1, 2, 3];

    /// <summary>Minimum depth of the disparity-to-depth mapping. Default 0.1.</summary>
    public double MinDepth { get; init; } = Geometry.DepthConversion.DefaultMinDepth;

    /// <summary>Maximum depth of the disparity-to-depth mapping. Default 100.</summary>
    public double MaxDepth { get; init; } = Geometry.DepthConversion.DefaultMaxDepth;

    /// <summary>Weight of the edge-aware smoothness term (divided by 2^scale). Default 1e-3.</summary>
    public double SmoothnessWeight { get; init; } = DefaultSmoothnessWeight;

    /// <summary>Use SSIM in the photometric error (false: L1 only, the <c>no_ssim</c> ablation). Default true.</summary>
    public bool UseSsim { get; init; } = true;

    /// <summary>Mask pixels whose unwarped source matches better than any reprojection. Default true.</summary>
    public bool UseAutoMasking { get; init; } = true;

    /// <summary>Per-pixel reduction over source frames. Default <see cref="ReprojectionReduction.Minimum"/>.</summary>
    public ReprojectionReduction Reduction { get; init; } = ReprojectionReduction.Minimum;

    /// <summary>Where each scale's loss is computed. Default <see cref="MultiScaleMode.FullResolution"/>.</summary>
    public MultiScaleMode MultiScale { get; init; } = MultiScaleMode.FullResolution;

    /// <summary>
    /// Weight of the velocity-supervision term (PackNet-SfM's weakly supervised scale) for sources with known travel
    /// (<see cref="SourceView.Travel"/>). Default 0.1 (PackNet's); training sets it from <c>TrainingOptions.VelocityWeight</c>.
    /// </summary>
    public double VelocityWeight { get; init; } = 0.1;

    /// <summary>Standard deviation of the noise added to identity errors to break ties. Default 1e-5.</summary>
    public double TieBreakNoise { get; init; } = 1e-5;
}
