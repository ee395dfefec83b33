using System.Text.Json;
using Monodepth2.Data;
using Monodepth2.Data.Synthetic;
using Monodepth2.Evaluation;
using Monodepth2.Networks;
using Monodepth2.Weights;

namespace Monodepth2.Tests.Evaluation;

/// <summary>
/// The whole protocol on a tiny synthetic world (2 sequences x 8 frames at 192 x 64, KITTI raw layout): an untrained
/// model through the split, saved disparities re-evaluated against a gt_depths.npz, exact external disparities, and
/// pose evaluation from the image list and the KITTI-odometry pose file.
/// </summary>
public sealed class EvaluationEndToEndTests : TorchTestBase, IDisposable
{
    private const int W = 192;
    private const int H = 64;
    private readonly string root = Directory.CreateTempSubdirectory("md2-evale2e-").FullName;
    private readonly SyntheticWorldOptions world = new() { Width = W, Height = H, Sequences = 2, FramesPerSequence = 8, Seed = 7, TestSequences = 1, ValSequences = 0 };

    public EvaluationEndToEndTests() => SyntheticDatasetWriter.Write(root, world);

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void UntrainedModelRunsThroughTheSplitAndExactDisparitiesScoreZero()
    {
        var split = SplitFile.Read(Path.Combine(root, "splits", "test_files.txt"));
        Assert.Equal(8, split.Count);
        using var networks = new MonodepthNetworks();
        var saved = Path.Combine(root, "out", "disps_test.npy");
        var options = DepthEvaluationOptions.Mono with { PostProcess = true, EigenCrop = true, SavePredictions = saved };
        var report = DepthEvaluator.EvaluateModel(networks, new ModelInfo { Width = W, Height = H }, root, split, options);
        Assert.Equal(8, report.Images);
        Assert.All(report.Mean.Values, v => Assert.True(double.IsFinite(v), report.ToTable()));
        Assert.True(report.RatioMedian > 0);
        var json = Path.Combine(root, "out", "depth.json");
        report.WriteJson(json);
        using (var doc = JsonDocument.Parse(File.ReadAllText(json)))
        {
            Assert.Equal(report.Mean.AbsRel, doc.RootElement.GetProperty("abs_rel").GetDouble(), 12);
            Assert.True(doc.RootElement.GetProperty("settings").GetProperty("eigen_crop").GetBoolean());
        }

        // The saved disparities (N x H x W) against the same ground truth packed as gt_depths.npz give the same numbers.
        var disps = NpyFile.Read(saved);
        Assert.Equal([8L, H, W], disps.Shape);
        var pngs = DepthGroundTruth.FromKittiSplit(root, split);
        var maps = Enumerable.Range(0, 8).Select(pngs.Load).ToArray();
        var npz = Path.Combine(root, "gt_depths.npz");
        NpyFile.WriteNpz(npz, new Dictionary<string, NpyArray> { ["data"] = NpyArray.FromFloat32(maps.SelectMany(m => m.Depth).ToArray(), 8, H, W) }, compress: true);
        var again = DepthEvaluator.EvaluateDisparityFile(saved, DepthGroundTruth.FromNumpy(npz), options with { SavePredictions = null });
        Assert.Equal(report.Mean, again.Mean);
        Assert.Equal(report.RatioMean, again.RatioMean, 12);

        // External disparities equal to 1 / gt (any value where there is no ground truth) score zero error inside the
        // Eigen crop, where only 1e-3 < gt < 80 counts. Without the crop every gt > 0 counts while predictions are still
        // clamped to 80 m, so far ground (gt > 80) costs (gt - 80) / gt per pixel, and a1 misses where gt >= 100.
        var exact = maps.SelectMany(m => m.Depth.Select(d => d > 0 ? 1f / d : 1f)).ToArray();
        var exactPath = Path.Combine(root, "exact.npy");
        NpyFile.Write(exactPath, NpyArray.FromFloat32(exact, 8, H, W));
        var perfect = DepthEvaluator.EvaluateDisparityFile(exactPath, pngs, DepthEvaluationOptions.Mono with { EigenCrop = true });
        Assert.True(perfect.Mean.AbsRel < 1e-5, perfect.ToTable());
        Assert.True(perfect.Mean.A1 == 1.0, perfect.ToTable());
        Assert.Equal(1.0, perfect.RatioMedian, 5);
        var valid = maps.Select(m => m.Depth.Where(d => d > 0).Select(d => (double)d).ToArray()).ToArray();
        var expectedAbsRel = valid.Average(v => v.Average(d => Math.Max(0, d - 80) / d));
        var expectedA1 = valid.Average(v => v.Average(d => d / 80 < 1.25 ? 1.0 : 0.0));
        Assert.True(expectedAbsRel > 1e-3, $"the world should have ground truth beyond 80 m (abs_rel {expectedAbsRel})");
        var uncropped = DepthEvaluator.EvaluateDisparityFile(exactPath, pngs, DepthEvaluationOptions.Mono);
        AssertClose(expectedAbsRel, uncropped.Mean.AbsRel, 1e-5, "abs_rel without the crop");
        AssertClose(expectedA1, uncropped.Mean.A1, 1e-9, "a1 without the crop");
        Assert.Equal(1.0, uncropped.RatioMedian, 5);

        // A disparity file for a different number of images is refused.
        NpyFile.Write(exactPath, NpyArray.FromFloat32(exact[..(7 * H * W)], 7, H, W));
        var ex = Assert.Throws<InvalidDataException>(() => DepthEvaluator.EvaluateDisparityFile(exactPath, pngs, DepthEvaluationOptions.Mono));
        Assert.Contains("7 predictions", ex.Message);
        Assert.Contains("8 images", ex.Message);
    }

    [Fact]
    public void PoseEvaluationRunsOnTheSyntheticDrive()
    {
        var drive = SyntheticDatasetWriter.DriveName(world, 0);
        var poses = Path.Combine(root, "poses", drive + ".txt");
        var frames = PoseEvaluator.KittiRawFrames(root, SyntheticDatasetWriter.DriveFolder(world, 0), world.FramesPerSequence);
        using var networks = new MonodepthNetworks();
        var result = PoseEvaluator.EvaluateModel(networks, frames, poses, W, H);
        Assert.Equal(7, result.Snippets);
        Assert.True(double.IsFinite(result.AteMean) && result.AteMean >= 0, result.ToText());

        // The true relative poses at another scale: zero error.
        var truth = RigidPoses.Relative(KittiPoseFile.Read(poses), translationScale: 2);
        Assert.True(PoseEvaluator.Evaluate(truth, poses).AteMean < 1e-6);

        var tooFew = Assert.Throws<InvalidDataException>(() => PoseEvaluator.EvaluateModel(networks, frames.Take(5).ToList(), poses, W, H));
        Assert.Contains("8 poses", tooFew.Message);
    }
}
