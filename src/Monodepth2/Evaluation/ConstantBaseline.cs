using Monodepth2.Data;

namespace Monodepth2.Evaluation;

/// <summary>
/// The trivial baseline: predict one constant depth everywhere (e.g. the mean ground-truth depth of the training
/// set). With median scaling this becomes each test image's median ground-truth depth, the best constant a
/// scale-free model could output, so a depth network must beat it to have learned structure.
/// </summary>
public static class ConstantBaseline
{
    /// <summary>Mean valid ground-truth depth (min &lt; d &lt; max) over the given depth maps.</summary>
    public static double MeanDepth(IEnumerable<DepthMap> maps, double minDepth = DepthScaling.EvaluationMinDepth, double maxDepth = DepthScaling.EvaluationMaxDepth)
    {
        double sum = 0;
        long count = 0;
        foreach (var map in maps)
        {
            foreach (var d in map.Depth)
            {
                if (d > minDepth && d < maxDepth)
                {
                    sum += d;
                    count++;
                }
            }
        }

        return count > 0 ? sum / count : throw new InvalidOperationException("No valid ground-truth depth to average.");
    }

    /// <summary>
    /// Evaluates the constant prediction against every map of <paramref name="groundTruth"/> through the one evaluation
    /// path (<see cref="DepthEvaluator.EvaluateDisparities"/>), as disparities 1 / <paramref name="constantDepth"/>.
    /// </summary>
    public static DepthEvaluationReport Evaluate(DepthGroundTruth groundTruth, double constantDepth, DepthEvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (!(constantDepth > 0) || double.IsInfinity(constantDepth))
        {
            throw new ArgumentOutOfRangeException(nameof(constantDepth), constantDepth, "The constant depth must be positive and finite.");
        }

        var first = groundTruth.Load(0);
        var constant = new float[(long)groundTruth.Count * first.Height * first.Width];
        Array.Fill(constant, (float)(1 / constantDepth));
        return DepthEvaluator.EvaluateDisparities(NpyArray.FromFloat32(constant, groundTruth.Count, first.Height, first.Width), groundTruth, options,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"constant depth {constantDepth:F3} m"));
    }
}
