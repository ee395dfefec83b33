using static TorchSharp.torch;
using static Monodepth2.ScalarCache;

namespace Monodepth2.Geometry;

/// <summary>Conversion between the depth network's sigmoid output, scaled disparity and depth.</summary>
public static class DepthConversion
{
    /// <summary>Reference default minimum depth (metres for stereo-trained models, arbitrary units for mono).</summary>
    public const double DefaultMinDepth = 0.1;

    /// <summary>Reference default maximum depth.</summary>
    public const double DefaultMaxDepth = 100.0;

    /// <summary>
    /// Maps a sigmoid output s in (0, 1) to disparity 1/max + (1/min - 1/max) s and depth 1 / disparity,
    /// so depth lies in [minDepth, maxDepth].
    /// </summary>
    /// <returns>(scaled disparity, depth), same shape as <paramref name="sigmoidDisparity"/>.</returns>
    public static (Tensor ScaledDisparity, Tensor Depth) DispToDepth(Tensor sigmoidDisparity, double minDepth = DefaultMinDepth, double maxDepth = DefaultMaxDepth)
    {
        Validate(minDepth, maxDepth);
        var minDisp = 1.0 / maxDepth;
        var maxDisp = 1.0 / minDepth;
        var scaled = (sigmoidDisparity * S(maxDisp - minDisp)) + S(minDisp);
        return (scaled, scaled.reciprocal());
    }

    /// <summary>The same mapping on one value, for code outside TorchSharp.</summary>
    public static double DispToDepth(double sigmoidDisparity, double minDepth = DefaultMinDepth, double maxDepth = DefaultMaxDepth)
    {
        Validate(minDepth, maxDepth);
        var minDisp = 1.0 / maxDepth;
        var maxDisp = 1.0 / minDepth;
        return 1.0 / (minDisp + (maxDisp - minDisp) * sigmoidDisparity);
    }

    private static void Validate(double minDepth, double maxDepth)
    {
        if (!(minDepth > 0) || !(maxDepth > minDepth))
        {
            throw new ArgumentException($"Depth range must satisfy 0 < min < max (got {minDepth}, {maxDepth}).");
        }
    }
}
