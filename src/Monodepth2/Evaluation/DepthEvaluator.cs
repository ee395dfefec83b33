using Monodepth2.Data;
using Monodepth2.Geometry;
using Monodepth2.Networks;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Evaluation;

/// <summary>The result of evaluating depth predictions over a set of images.</summary>
/// <param name="Mean">Metrics averaged over images.</param>
/// <param name="Images">Images evaluated.</param>
/// <param name="RatioMean">Mean of the per-image median-scaling ratios (1 without median scaling).</param>
/// <param name="RatioStd">Their standard deviation.</param>
public sealed record DepthEvaluationResult(DepthMetrics Mean, int Images, double RatioMean, double RatioStd);

/// <summary>
/// Evaluates a depth network on samples that carry ground truth: predict disparity at the network's resolution,
/// resize it bilinearly to the ground-truth size, depth = 1 / scaled disparity, then the per-image protocol of
/// <see cref="DepthEvaluation.EvaluateImage"/> (validity range, median or fixed scaling, clamping).
/// </summary>
public static class DepthEvaluator
{
    /// <summary>Evaluates the networks on the samples <paramref name="indices"/> (default all) of <paramref name="dataset"/>, which must load ground truth.</summary>
    public static DepthEvaluationResult Evaluate(MonodepthNetworks networks, IMonodepthDataset dataset, DepthScaling scaling,
        double minDepth = DepthConversion.DefaultMinDepth, double maxDepth = DepthConversion.DefaultMaxDepth, IReadOnlyList<int>? indices = null)
    {
        var per = new List<ImageEvaluation>();
        networks.Train(false);
        var rng = new Random(0);
        var device = networks.Encoder.parameters().First().device;
        foreach (var index in indices ?? Enumerable.Range(0, dataset.Count).ToArray())
        {
            var sample = dataset.GetSample(index, rng);
            var gt = sample.GroundTruth ?? throw new InvalidOperationException($"{dataset.Describe(index)}: no ground-truth depth to evaluate against.");
            var image = sample.Pyramids[FrameId.Target][0];
            var depth = PredictDepth(networks, image.Data, image.Height, image.Width, gt.Height, gt.Width, minDepth, maxDepth, device);
            per.Add(DepthEvaluation.EvaluateImage(gt.Depth, depth, scaling));
        }

        if (per.Count == 0)
        {
            throw new InvalidOperationException("No images to evaluate.");
        }

        var ratios = per.Select(p => p.Ratio).ToArray();
        var mean = ratios.Average();
        var std = Math.Sqrt(ratios.Select(r => (r - mean) * (r - mean)).Average());
        return new DepthEvaluationResult(DepthMetrics.Mean(per.Select(p => p.Metrics).ToArray()), per.Count, mean, std);
    }

    /// <summary>
    /// Depth at <paramref name="outHeight"/> x <paramref name="outWidth"/> for one planar RGB image [3, H, W] in [0, 1]
    /// at the network's input size: the scale-0 disparity resized bilinearly, then inverted.
    /// </summary>
    public static float[] PredictDepth(MonodepthNetworks networks, float[] rgb, int height, int width, int outHeight, int outWidth,
        double minDepth = DepthConversion.DefaultMinDepth, double maxDepth = DepthConversion.DefaultMaxDepth, Device? device = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(rgb, [1, 3, height, width], device: device);
        var disp = networks.PredictDisparity(input)[0];
        var (scaled, _) = DepthConversion.DispToDepth(disp, minDepth, maxDepth);
        var resized = functional.interpolate(scaled, size: [outHeight, outWidth], mode: InterpolationMode.Bilinear, align_corners: false);
        return resized.reciprocal().cpu().contiguous().data<float>().ToArray();
    }
}
