using System.Text.Json;
using Monodepth2.Data;
using Monodepth2.Evaluation;
using Monodepth2.Imaging;

namespace Monodepth2.Tests.Evaluation;

/// <summary>The reference evaluation protocol on tiny fixtures with hand-derived numbers.</summary>
public sealed class EvaluationProtocolTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-evalproto-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static DepthMap Constant(float value, int width, int height) => new(Enumerable.Repeat(value, width * height).ToArray(), width, height);

    private static NpyArray ConstantDisparities(int width, int height, params float[] perImage) =>
        NpyArray.FromFloat32(perImage.SelectMany(v => Enumerable.Repeat(v, width * height)).ToArray(), perImage.Length, height, width);

    [Fact]
    public void EigenCropTruncatesLikeNumpyAstypeInt32()
    {
        // 0.40810811 * 375 = 153.04, 0.99189189 * 375 = 371.96, 0.03594771 * 1242 = 44.65, 0.96405229 * 1242 = 1197.35.
        Assert.Equal((153, 371, 44, 1197), EigenCrop.Bounds(1242, 375));
        // 10 x 20: 4.08 -> 4, 9.92 -> 9, 0.72 -> 0, 19.28 -> 19.
        Assert.Equal((4, 9, 0, 19), EigenCrop.Bounds(20, 10));
        var mask = EigenCrop.Mask(20, 10);
        Assert.Equal(5 * 19, mask.Count(m => m));
        Assert.True(mask[(4 * 20) + 0]);
        Assert.True(mask[(8 * 20) + 18]);
        Assert.False(mask[(3 * 20) + 5]);
        Assert.False(mask[(9 * 20) + 5]);
        Assert.False(mask[(5 * 20) + 19]);
    }

    [Fact]
    public void PostProcessingBlendMatchesHandValuesAtWidth21And41()
    {
        // Width 21: x = k / 20, 20 (x - 0.05) = k - 1, so l_mask = 1 at k = 0, 1 and 0 elsewhere; r_mask mirrored.
        // Left prediction 1, mirrored-back prediction 3: the two left columns take 3, the two right ones 1, the rest the mean 2.
        var w21 = DisparityPostProcessing.Blend(Enumerable.Repeat(1f, 21).ToArray(), Enumerable.Repeat(3f, 21).ToArray(), 21, 1);
        float[] expected21 = [3, 3, .. Enumerable.Repeat(2f, 17), 1, 1];
        Assert.Equal(expected21, w21);

        // Width 41: 20 (x - 0.05) = k / 2 - 1: l_mask = 1, 1, 1, 0.5, 0, ...; at k = 3: 0.5 * 3 + 0.5 * 2 = 2.5.
        Assert.Equal([1, 1, 1, 0.5, 0], DisparityPostProcessing.LeftMask(41).Take(5).Select(v => Math.Round(v, 9)));
        var w41 = DisparityPostProcessing.Blend(Enumerable.Repeat(1f, 82).ToArray(), Enumerable.Repeat(3f, 82).ToArray(), 41, 2);
        float[] row = [3, 3, 3, 2.5f, .. Enumerable.Repeat(2f, 33), 1.5f, 1, 1, 1];
        for (var k = 0; k < 41; k++)
        {
            AssertClose(row[k], w41[k], 1e-6, $"row 0 column {k}");
            AssertClose(row[k], w41[41 + k], 1e-6, $"row 1 column {k}");
        }
    }

    [Fact]
    public void BilinearResizeFollowsOpenCvHalfPixelConvention()
    {
        // Up: source x = (i + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        Assert.Equal([0f, 0.25f, 0.75f, 1f], BilinearResize.Resize([0f, 1f], 2, 1, 4, 1));
        // Down (no antialiasing): source x = (i + 0.5) * 2 - 0.5 = 0.5, 2.5.
        Assert.Equal([0.5f, 2.5f], BilinearResize.Resize([0f, 1f, 2f, 3f], 4, 1, 2, 1));
        // Both axes: 2x2 -> 1x1 samples the centre.
        Assert.Equal([2.5f], BilinearResize.Resize([1f, 2f, 3f, 4f], 2, 2, 1, 1));
    }

    [Fact]
    public void MedianScalingRatiosAreReportedLikeTheReference()
    {
        // Ground truth 10 m everywhere; predicted depths 5, 10, 20 m: ratios 2, 1, 0.5, errors 0 after scaling.
        var gt = DepthGroundTruth.FromMaps([Constant(10, 3, 2), Constant(10, 3, 2), Constant(10, 3, 2)]);
        var report = DepthEvaluator.EvaluateDisparities(ConstantDisparities(3, 2, 1 / 5f, 1 / 10f, 1 / 20f), gt, DepthEvaluationOptions.Mono);
        Assert.Equal(3, report.Images);
        AssertClose(0, report.Mean.AbsRel, 1e-6, "abs_rel");
        AssertClose(3.5 / 3, report.RatioMean, 1e-6, "ratio mean");
        AssertClose(1.0, report.RatioMedian, 1e-6, "ratio median");
        AssertClose(1.0, report.ScaleRatio, 1e-6, "scale ratio (the median ratio, with median scaling)");
        // np.std([2, 1, 0.5] / 1): deviations from 7/6 are 5/6, -1/6, -2/3; variance 42/108.
        AssertClose(Math.Sqrt(42.0 / 108), report.RatioStdOverMedian, 1e-6, "std / med");
        AssertClose(Math.Sqrt(42.0 / 108), report.RatioStd, 1e-6, "std");
        Assert.Contains(" Scaling ratios | med: 1.000 | std: 0.624", report.ToTable());
        Assert.Contains("  abs_rel |   sq_rel |     rmse | rmse_log |       a1 |       a2 |       a3 | ", report.ToTable());
        Assert.Contains("&   0.000  &   0.000  &   0.000  &   0.000  &   1.000  &   1.000  &   1.000  \\\\", report.ToTable());
    }

    [Fact]
    public void StereoFactorScalesWithoutMedian()
    {
        // Disparity 0.5 -> depth 2 -> x 5.4 = 10.8 = ground truth.
        var gt = DepthGroundTruth.FromMaps([Constant(10.8f, 2, 2)]);
        var stereo = DepthEvaluator.EvaluateDisparities(ConstantDisparities(2, 2, 0.5f), gt, DepthEvaluationOptions.Stereo);
        Assert.False(stereo.Options.MedianScaling);
        Assert.Equal(5.4, stereo.Options.ScaleFactor);
        AssertClose(0, stereo.Mean.AbsRel, 1e-6, "abs_rel");
        Assert.Equal(1.0, stereo.RatioMean);
        Assert.DoesNotContain("Scaling ratios", stereo.ToTable());

        // Without the factor the depth is off by 5.4: abs_rel = |10.8 - 2| / 10.8.
        var plain = DepthEvaluator.EvaluateDisparities(ConstantDisparities(2, 2, 0.5f), gt, new DepthEvaluationOptions { MedianScaling = false });
        AssertClose(8.8 / 10.8, plain.Mean.AbsRel, 1e-6, "abs_rel unscaled");

        // The scale ratio says how far from metric the fixed scaling leaves the depth: 1 with x5.4, 10.8 / 2 without.
        AssertClose(1.0, stereo.ScaleRatio, 1e-6, "scale ratio with x5.4");
        AssertClose(5.4, plain.ScaleRatio, 1e-6, "scale ratio unscaled");
        Assert.Contains(" Median ratio gt/pred: 5.400 (1 = metric)", plain.ToTable());
        Assert.Contains("\"scale_ratio\": 5.4", plain.ToJson());
    }

    [Fact]
    public void EigenCropRestrictsPixelsAndResizeReachesGroundTruthSize()
    {
        // Ground truth 10 x 20 at 10 m; the prediction is right inside the crop (rows 4..8, cols 0..18) and 40 m outside.
        const int h = 10, w = 20;
        var disp = new float[h * w];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                disp[(y * w) + x] = y is >= 4 and < 9 && x < 19 ? 0.1f : 0.025f;
            }
        }

        var gt = DepthGroundTruth.FromMaps([Constant(10, w, h)]);
        var options = new DepthEvaluationOptions { MedianScaling = false };
        var cropped = DepthEvaluator.EvaluateDisparities(NpyArray.FromFloat32(disp, 1, h, w), gt, options with { EigenCrop = true });
        AssertClose(0, cropped.Mean.AbsRel, 1e-6, "cropped abs_rel");
        var full = DepthEvaluator.EvaluateDisparities(NpyArray.FromFloat32(disp, 1, h, w), gt, options);
        AssertClose(105 * 3.0 / 200, full.Mean.AbsRel, 1e-5, "full abs_rel");

        // A constant disparity at half the ground-truth size is resized to it.
        var small = DepthEvaluator.EvaluateDisparities(ConstantDisparities(10, 5, 0.1f), gt, options with { EigenCrop = true });
        AssertClose(0, small.Mean.AbsRel, 1e-6, "resized abs_rel");
    }

    [Fact]
    public void EigenCropKeepsGroundTruthInsideTheRangeWithoutItEveryPositiveValueCounts()
    {
        // Ground truth 10 x 20 at 10 m except 100 m at (5, 5) and 5e-4 m at (6, 6), both inside the crop (rows 4..8,
        // cols 0..18); the prediction is 10 m everywhere, no median scaling. With the crop both outliers are dropped:
        // zero error. Without it all 200 pixels count: abs_rel = (90 / 100 + (10 - 5e-4) / 5e-4) / 200, a1 = 198 / 200.
        const int h = 10, w = 20;
        var depth = Enumerable.Repeat(10f, h * w).ToArray();
        depth[(5 * w) + 5] = 100;
        depth[(6 * w) + 6] = 5e-4f;
        var gt = DepthGroundTruth.FromMaps([new DepthMap(depth, w, h)]);
        var options = new DepthEvaluationOptions { MedianScaling = false };
        var cropped = DepthEvaluator.EvaluateDisparities(ConstantDisparities(w, h, 0.1f), gt, options with { EigenCrop = true });
        AssertClose(0, cropped.Mean.AbsRel, 1e-6, "cropped abs_rel");
        Assert.Equal(1.0, cropped.Mean.A1);
        var full = DepthEvaluator.EvaluateDisparities(ConstantDisparities(w, h, 0.1f), gt, options);
        var g = (double)5e-4f;
        AssertClose((0.9 + ((10 - g) / g)) / 200, full.Mean.AbsRel, 1e-3, "full abs_rel");
        Assert.Equal(198 / 200.0, full.Mean.A1, 9);
    }

    [Fact]
    public void PredictionCountMustMatchTheSplit()
    {
        var gt = DepthGroundTruth.FromMaps([Constant(10, 2, 2), Constant(10, 2, 2), Constant(10, 2, 2)], "split.txt");
        var path = Path.Combine(dir, "disps.npy");
        NpyFile.Write(path, ConstantDisparities(2, 2, 0.1f, 0.1f));
        var ex = Assert.Throws<InvalidDataException>(() => DepthEvaluator.EvaluateDisparityFile(path, gt, DepthEvaluationOptions.Mono));
        Assert.Contains(path, ex.Message);
        Assert.Contains("2 predictions", ex.Message);
        Assert.Contains("3 images", ex.Message);

        NpyFile.Write(path, NpyArray.FromFloat32([0.1f, 0.1f], 2));
        Assert.Contains("(2,)", Assert.Throws<InvalidDataException>(() => DepthEvaluator.EvaluateDisparityFile(path, gt, DepthEvaluationOptions.Mono)).Message);
    }

    [Fact]
    public void MalformedGroundTruthFilesAreNamed()
    {
        // A colour PNG where a 16-bit depth PNG belongs.
        var entries = SplitFile.Parse(["2011_09_26/2011_09_26_drive_0002_sync 5 l"], "test_files.txt");
        var pngPath = KittiRawDataset.GroundTruthPath(dir, entries[0].Folder, 5, CameraSide.Left);
        ImageFiles.WriteRgbPng(new RgbImage(4, 2), pngPath);
        var gt = DepthGroundTruth.FromKittiSplit(dir, entries);
        var ex = Assert.Throws<InvalidDataException>(() => DepthEvaluator.EvaluateDisparities(ConstantDisparities(4, 2, 0.1f), gt, DepthEvaluationOptions.Mono));
        Assert.Contains(pngPath, ex.Message);
        Assert.Contains("test_files.txt:1", ex.Message);

        // A gt_depths.npz whose array is 2-D.
        var npz = Path.Combine(dir, "gt_depths.npz");
        NpyFile.WriteNpz(npz, new Dictionary<string, NpyArray> { ["data"] = NpyArray.FromFloat32(new float[6], 2, 3) });
        var bad = Assert.Throws<InvalidDataException>(() => DepthGroundTruth.FromNumpy(npz));
        Assert.Contains(npz, bad.Message);
        Assert.Contains("(2, 3)", bad.Message);
    }

    [Fact]
    public void JsonHasEveryMetricAndTheSettingsInSnakeCase()
    {
        var gt = DepthGroundTruth.FromMaps([Constant(10, 2, 2)]);
        var report = DepthEvaluator.EvaluateDisparities(ConstantDisparities(2, 2, 0.2f), gt, DepthEvaluationOptions.Mono with { EigenCrop = false, PostProcess = true });
        var path = Path.Combine(dir, "out", "metrics.json");
        report.WriteJson(path);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        foreach (var name in DepthMetrics.Names)
        {
            Assert.True(root.TryGetProperty(name, out _), name);
        }

        Assert.Equal(1, root.GetProperty("images").GetInt32());
        Assert.Equal(2.0, root.GetProperty("ratio_mean").GetDouble(), 6);
        var settings = root.GetProperty("settings");
        Assert.True(settings.GetProperty("median_scaling").GetBoolean());
        Assert.True(settings.GetProperty("post_process").GetBoolean());
        Assert.Equal(80, settings.GetProperty("max_depth").GetDouble());
        Assert.False(settings.TryGetProperty("prediction_min_depth", out _), "the model's depth range belongs to the model, not the protocol");
        Assert.Equal(1.0, settings.GetProperty("scale_factor").GetDouble());
    }

    private static void AssertClose(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected}, got {actual}");
}
