namespace Monodepth2.Evaluation;

/// <summary>The seven standard depth error measures, averaged the way the reference averages them.</summary>
/// <param name="AbsRel">mean(|gt - p| / gt).</param>
/// <param name="SqRel">mean((gt - p)^2 / gt).</param>
/// <param name="Rmse">sqrt(mean((gt - p)^2)).</param>
/// <param name="RmseLog">sqrt(mean((ln gt - ln p)^2)).</param>
/// <param name="A1">Fraction with max(gt / p, p / gt) &lt; 1.25.</param>
/// <param name="A2">Likewise &lt; 1.25^2.</param>
/// <param name="A3">Likewise &lt; 1.25^3.</param>
public sealed record DepthMetrics(double AbsRel, double SqRel, double Rmse, double RmseLog, double A1, double A2, double A3)
{
    /// <summary>Metric names in the reference's column order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["abs_rel", "sq_rel", "rmse", "rmse_log", "a1", "a2", "a3"];

    /// <summary>The values in the order of <see cref="Names"/>.</summary>
    public IReadOnlyList<double> Values => [AbsRel, SqRel, Rmse, RmseLog, A1, A2, A3];

    /// <summary>
    /// Computes the metrics over paired valid pixels (ground truth and prediction, both positive, same length).
    /// </summary>
    public static DepthMetrics Compute(ReadOnlySpan<float> groundTruth, ReadOnlySpan<float> prediction)
    {
        if (groundTruth.Length != prediction.Length)
        {
            throw new ArgumentException($"Ground truth has {groundTruth.Length} values but the prediction has {prediction.Length}.");
        }

        if (groundTruth.IsEmpty)
        {
            throw new ArgumentException("No valid pixels to evaluate.");
        }

        double absRel = 0, sqRel = 0, sq = 0, sqLog = 0;
        long a1 = 0, a2 = 0, a3 = 0;
        for (var i = 0; i < groundTruth.Length; i++)
        {
            double gt = groundTruth[i];
            double p = prediction[i];
            if (!(gt > 0) || !(p > 0))
            {
                throw new ArgumentException($"Depth values must be positive (pixel {i}: gt {gt}, prediction {p}).");
            }

            var diff = gt - p;
            var ratio = Math.Max(gt / p, p / gt);
            if (ratio < 1.25)
            {
                a1++;
            }

            if (ratio < 1.25 * 1.25)
            {
                a2++;
            }

            if (ratio < 1.25 * 1.25 * 1.25)
            {
                a3++;
            }

            absRel += Math.Abs(diff) / gt;
            sqRel += diff * diff / gt;
            sq += diff * diff;
            var logDiff = Math.Log(gt) - Math.Log(p);
            sqLog += logDiff * logDiff;
        }

        double n = groundTruth.Length;
        return new DepthMetrics(absRel / n, sqRel / n, Math.Sqrt(sq / n), Math.Sqrt(sqLog / n), a1 / n, a2 / n, a3 / n);
    }

    /// <summary>The per-measure mean of per-image metrics (the reference averages over images, not pixels).</summary>
    public static DepthMetrics Mean(IReadOnlyCollection<DepthMetrics> perImage)
    {
        if (perImage.Count == 0)
        {
            throw new ArgumentException("No images to average.", nameof(perImage));
        }

        var sums = new double[7];
        foreach (var m in perImage)
        {
            var values = m.Values;
            for (var k = 0; k < 7; k++)
            {
                sums[k] += values[k];
            }
        }

        var c = (double)perImage.Count;
        return new DepthMetrics(sums[0] / c, sums[1] / c, sums[2] / c, sums[3] / c, sums[4] / c, sums[5] / c, sums[6] / c);
    }
}
