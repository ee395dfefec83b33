using Monodepth2.Geometry;

namespace Monodepth2.Evaluation;

/// <summary>How predictions are brought to the ground truth's scale before measuring.</summary>
/// <param name="MedianScaling">Multiply each image by median(gt) / median(pred) (monocular models).</param>
/// <param name="ScaleFactor">A fixed factor applied first (<see cref="StereoBaseline.ScaleFactor"/> for stereo-trained models; 1 otherwise).</param>
/// <param name="MinDepth">Lower clamp of the prediction (and, with <paramref name="LimitGroundTruth"/>, lower validity bound of the ground truth, exclusive), 1e-3.</param>
/// <param name="MaxDepth">Upper clamp (and, with <paramref name="LimitGroundTruth"/>, upper validity bound, exclusive), 80.</param>
/// <param name="LimitGroundTruth">
/// Keep only ground truth inside (MinDepth, MaxDepth), as the reference does with the Eigen crop; when false every
/// gt &gt; 0 counts (the reference's other splits), while predictions are still clamped.
/// </param>
public sealed record DepthScaling(bool MedianScaling = true, double ScaleFactor = 1.0, double MinDepth = DepthScaling.EvaluationMinDepth, double MaxDepth = DepthScaling.EvaluationMaxDepth,
    bool LimitGroundTruth = false)
{
    /// <summary>The reference's evaluation range: ground truth is valid above this (exclusive), predictions are clamped to it (1e-3 m).</summary>
    public const double EvaluationMinDepth = 1e-3;

    /// <summary>The reference's evaluation range: ground truth is valid below this (exclusive), predictions are clamped to it (80 m).</summary>
    public const double EvaluationMaxDepth = 80.0;

    /// <summary>Monocular evaluation: per-image median scaling.</summary>
    public static DepthScaling Mono { get; } = new();

    /// <summary>Stereo evaluation: no median scaling, times 5.4.</summary>
    public static DepthScaling Stereo { get; } = new(MedianScaling: false, ScaleFactor: StereoBaseline.ScaleFactor);
}

/// <summary>One image's metrics and the median ratio used (1 without median scaling).</summary>
/// <param name="Metrics">The seven measures.</param>
/// <param name="Ratio">median(gt) / median(pred) or 1.</param>
/// <param name="ValidPixels">Pixels that entered the measures.</param>
public sealed record ImageEvaluation(DepthMetrics Metrics, double Ratio, int ValidPixels);

/// <summary>Per-image scaling, clamping and measuring of predicted depth against ground truth.</summary>
public static class DepthEvaluation
{
    /// <summary>
    /// Evaluates one image: keeps pixels with gt &gt; 0, or min &lt; gt &lt; max with <see cref="DepthScaling.LimitGroundTruth"/>
    /// (and inside <paramref name="mask"/> when given),
    /// applies the scale factor, median scaling and clamping to [min, max], and measures.
    /// </summary>
    /// <param name="groundTruth">Ground-truth depth, row major; 0 or negative means no measurement.</param>
    /// <param name="predictedDepth">Predicted depth at the same size.</param>
    /// <param name="scaling">Scaling and validity settings.</param>
    /// <param name="mask">Optional extra validity (e.g. the Eigen crop), same size.</param>
    public static ImageEvaluation EvaluateImage(ReadOnlySpan<float> groundTruth, ReadOnlySpan<float> predictedDepth, DepthScaling scaling, ReadOnlySpan<bool> mask = default)
    {
        if (groundTruth.Length != predictedDepth.Length)
        {
            throw new ArgumentException($"Ground truth has {groundTruth.Length} pixels but the prediction has {predictedDepth.Length}.");
        }

        if (!mask.IsEmpty && mask.Length != groundTruth.Length)
        {
            throw new ArgumentException($"The mask has {mask.Length} pixels, the ground truth {groundTruth.Length}.");
        }

        var gt = new List<float>(groundTruth.Length);
        var pred = new List<float>(groundTruth.Length);
        for (var i = 0; i < groundTruth.Length; i++)
        {
            var g = groundTruth[i];
            var valid = scaling.LimitGroundTruth ? g > scaling.MinDepth && g < scaling.MaxDepth : g > 0;
            if (valid && (mask.IsEmpty || mask[i]))
            {
                gt.Add(g);
                pred.Add((float)(predictedDepth[i] * scaling.ScaleFactor));
            }
        }

        if (gt.Count == 0)
        {
            throw new ArgumentException("The image has no valid ground-truth pixels.");
        }

        var ratio = 1.0;
        if (scaling.MedianScaling)
        {
            ratio = Median(gt) / Median(pred);
        }

        var predArray = new float[pred.Count];
        for (var i = 0; i < pred.Count; i++)
        {
            predArray[i] = (float)Math.Clamp(pred[i] * ratio, scaling.MinDepth, scaling.MaxDepth);
        }

        return new ImageEvaluation(DepthMetrics.Compute(gt.ToArray(), predArray), ratio, gt.Count);
    }

    /// <summary>The median as numpy computes it: the mean of the two middle values for an even count.</summary>
    public static double Median(IReadOnlyList<float> values) => Median(values.Select(v => (double)v).ToArray());

    /// <summary>The median as numpy computes it: the mean of the two middle values for an even count.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("The median of nothing is undefined.", nameof(values));
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }
}
