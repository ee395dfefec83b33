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
    public static double MeanDepth(IEnumerable<DepthMap> maps, double minDepth = 1e-3, double maxDepth = 80)
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

    /// <summary>Evaluates the constant prediction on every sample of a dataset that loads ground truth.</summary>
    public static DepthEvaluationResult Evaluate(IMonodepthDataset dataset, double constantDepth, DepthScaling scaling, IReadOnlyList<int>? indices = null)
    {
        var per = new List<ImageEvaluation>();
        var rng = new Random(0);
        foreach (var i in indices ?? Enumerable.Range(0, dataset.Count).ToArray())
        {
            var gt = dataset.GetSample(i, rng).GroundTruth ?? throw new InvalidOperationException($"{dataset.Describe(i)}: no ground truth.");
            var prediction = new float[gt.Depth.Length];
            Array.Fill(prediction, (float)constantDepth);
            per.Add(DepthEvaluation.EvaluateImage(gt.Depth, prediction, scaling));
        }

        return DepthEvaluationResult.FromImages(per);
    }
}
