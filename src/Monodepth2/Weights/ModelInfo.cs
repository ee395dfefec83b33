using Monodepth2.Geometry;
using Monodepth2.Networks;

namespace Monodepth2.Weights;

/// <summary>
/// Everything a model folder says about its model, so that no caller has to repeat it: the input size, whether depth
/// is metric (after the stereo factor for stereo models), the depth range of the disparity mapping (all stored in <c>encoder.pth</c>) and
/// the architecture (inferred from the weights' keys and shapes). Folders without <c>min_depth</c>/<c>max_depth</c>
/// (official ones) get the reference's 0.1 and 100; folders without <c>metric</c> are metric when stereo-trained.
/// </summary>
public sealed record ModelInfo
{
    private readonly bool? metric;

    /// <summary>Network input width in pixels (<c>width</c>).</summary>
    public required int Width { get; init; }

    /// <summary>Network input height in pixels (<c>height</c>).</summary>
    public required int Height { get; init; }

    /// <summary>Trained with stereo pairs (<c>use_stereo</c>): depth is in metres after <see cref="StereoBaseline.ScaleFactor"/>.</summary>
    public bool UseStereo { get; init; }

    /// <summary>
    /// Depth is in metres after <see cref="DepthScale"/> (<c>metric</c>): stereo-trained models (x 5.4) and
    /// velocity-supervised ones (x 1). Evaluated without median scaling by default. Unless set, the same as <see cref="UseStereo"/>.
    /// </summary>
    public bool Metric
    {
        get => metric ?? UseStereo;
        init => metric = value;
    }

    /// <summary>Minimum depth of the disparity-to-depth mapping (<c>min_depth</c>).</summary>
    public double MinDepth { get; init; } = DepthConversion.DefaultMinDepth;

    /// <summary>Maximum depth of the disparity-to-depth mapping (<c>max_depth</c>).</summary>
    public double MaxDepth { get; init; } = DepthConversion.DefaultMaxDepth;

    /// <summary>The architecture: ResNet depth, decoder scales and pose variant.</summary>
    public NetworkOptions Networks { get; init; } = new();

    /// <summary>The folder holds a pose network (<c>pose.pth</c>).</summary>
    public bool HasPose { get; init; }

    /// <summary>The factor that turns the network's depth into metres: <see cref="StereoBaseline.ScaleFactor"/> for stereo models, else 1.</summary>
    public double DepthScale => UseStereo ? StereoBaseline.ScaleFactor : 1.0;

    /// <summary>One line per setting, for <c>monodepth2 info</c>.</summary>
    public IEnumerable<(string Name, string Value)> Describe()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        yield return ("resolution", $"{Width}x{Height}");
        yield return ("modality", UseStereo
            ? string.Create(c, $"stereo-trained (depth in metres after x{StereoBaseline.ScaleFactor})")
            : Metric ? "monocular, metric (velocity-supervised: depth in metres)" : "monocular (depth up to scale; median-scale to evaluate)");
        yield return ("metric", Metric ? string.Create(c, $"yes (depth scale x{DepthScale}; evaluated without median scaling)") : "no (median scaling)");
        yield return ("depth range", string.Create(c, $"{MinDepth} .. {MaxDepth} (disparity mapping)"));
        yield return ("encoder", $"ResNet-{Networks.Layers}");
        yield return ("decoder scales", string.Join(", ", Networks.EffectiveScales));
        yield return ("pose network", HasPose ? Networks.PoseKind.ToString() : "none (depth only)");
    }
}
