using Monodepth2.Evaluation;

namespace Monodepth2.Tests.Evaluation;

public sealed class DepthMetricsTests
{
    [Fact]
    public void MetricsOfHandMadePredictionEqualHandComputedNumbers()
    {
        // gt (1, 2, 4), prediction (1.1, 2, 5): worked out by hand in the comments.
        var m = DepthMetrics.Compute([1f, 2f, 4f], [1.1f, 2f, 5f]);
        Assert.Equal((0.1 + 0.25) / 3, m.AbsRel, 6);                        // |diff| / gt
        Assert.Equal((0.01 + 0.25) / 3, m.SqRel, 6);                        // diff^2 / gt
        Assert.Equal(Math.Sqrt(1.01 / 3), m.Rmse, 6);
        Assert.Equal(Math.Sqrt((Math.Pow(Math.Log(1.1), 2) + Math.Pow(Math.Log(1.25), 2)) / 3), m.RmseLog, 6);
        Assert.Equal(2 / 3.0, m.A1, 9);                                    // ratio 1.25 is not < 1.25
        Assert.Equal(1.0, m.A2, 9);
        Assert.Equal(1.0, m.A3, 9);
    }

    [Fact]
    public void PerfectPredictionHasZeroErrorAndFullAccuracy()
    {
        var m = DepthMetrics.Compute([3f, 7f], [3f, 7f]);
        Assert.Equal([0, 0, 0, 0, 1, 1, 1], m.Values);
    }

    [Fact]
    public void MedianScalingAndClampingFollowTheProtocol()
    {
        // With the Eigen crop's range: valid gt 2, 4, 6, 8 (0, 90 and 5e-4 are outside 1e-3..80). Medians 5 and 2.5:
        // ratio 2, so prediction 2, 4, 6, 200, clamped to 80: only the last pixel is wrong, abs_rel = (72 / 8) / 4.
        float[] gt = [2, 0, 4, 6, 90, 8, 5e-4f];
        float[] pred = [1, 9, 2, 3, 9, 100, 0.5f];
        var r = DepthEvaluation.EvaluateImage(gt, pred, DepthScaling.Mono with { LimitGroundTruth = true });
        Assert.Equal(2.0, r.Ratio, 9);
        Assert.Equal(4, r.ValidPixels);
        Assert.Equal(72.0 / 8 / 4, r.Metrics.AbsRel, 6);
        Assert.Equal(0.75, r.Metrics.A1, 9);
    }

    [Fact]
    public void WithoutTheEigenRangeEveryPositiveGroundTruthCountsAndPredictionsAreStillClamped()
    {
        // The reference without the Eigen crop masks only gt > 0: gt 2, 4, 6, 90, 8, 5e-4 with predictions 1, 2, 3, 9, 100,
        // 0.5. Medians (4 + 6) / 2 = 5 and (2 + 3) / 2 = 2.5: ratio 2, so 2, 4, 6, 18, 200, 1, clamped to 80:
        // abs_rel = (72 / 90 + 72 / 8 + (1 - 5e-4) / 5e-4) / 6; a1: ratios 1, 1, 1, 5, 10, 2000, so 3 / 6.
        float[] gt = [2, 0, 4, 6, 90, 8, 5e-4f];
        float[] pred = [1, 9, 2, 3, 9, 100, 0.5f];
        var r = DepthEvaluation.EvaluateImage(gt, pred, DepthScaling.Mono);
        Assert.Equal(2.0, r.Ratio, 9);
        Assert.Equal(6, r.ValidPixels);
        var g = (double)5e-4f;
        Assert.Equal((0.8 + 9 + ((1 - g) / g)) / 6, r.Metrics.AbsRel, 4);
        Assert.Equal(0.5, r.Metrics.A1, 9);
    }

    [Fact]
    public void StereoScalingMultipliesByFivePointFourWithoutMedian()
    {
        var r = DepthEvaluation.EvaluateImage([5.4f, 10.8f], [1f, 2f], DepthScaling.Stereo);
        Assert.Equal(1.0, r.Ratio);
        Assert.Equal(0, r.Metrics.AbsRel, 6);
    }

    [Fact]
    public void MaskRestrictsPixels()
    {
        var r = DepthEvaluation.EvaluateImage([2f, 4f, 8f], [2f, 4f, 1f], new DepthScaling(MedianScaling: false), [true, true, false]);
        Assert.Equal(2, r.ValidPixels);
        Assert.Equal(0, r.Metrics.AbsRel, 9);
    }

    [Fact]
    public void MedianOfEvenCountAveragesTheMiddlePair()
    {
        Assert.Equal(2.5, DepthEvaluation.Median([4f, 1f, 3f, 2f]));
        Assert.Equal(3.0, DepthEvaluation.Median([5f, 1f, 3f]));
    }

    [Fact]
    public void MeanAveragesPerImage()
    {
        var a = new DepthMetrics(0.1, 1, 2, 0.2, 0.9, 1, 1);
        var b = new DepthMetrics(0.3, 3, 4, 0.4, 0.7, 1, 1);
        Assert.Equal(new DepthMetrics(0.2, 2, 3, 0.30000000000000004, 0.8, 1, 1), DepthMetrics.Mean([a, b]));
    }

    [Fact]
    public void BadInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => DepthMetrics.Compute([1f], [1f, 2f]));
        Assert.Throws<ArgumentException>(() => DepthMetrics.Compute([], []));
        Assert.Throws<ArgumentException>(() => DepthEvaluation.EvaluateImage([0f, 0f], [1f, 1f], DepthScaling.Mono));
    }
}
