using System.Globalization;
using System.Text.RegularExpressions;
using Monodepth2.Data;
using Monodepth2.Data.Synthetic;
using Monodepth2.Evaluation;
using Monodepth2.Networks;
using Monodepth2.Weights;

namespace Monodepth2.Cli.Tests;

/// <summary>
/// The KITTI odometry layout through <c>train</c> and <c>evaluate pose</c>, and <c>evaluate pose</c> for the PoseCNN and
/// shared-encoder variants, which it reads from the model folder (there are no architecture flags).
/// </summary>
[Collection(CliCollection.Name)]
public sealed partial class PoseLayoutTests : IDisposable
{
    private static readonly SyntheticWorldOptions World = new() { Width = 128, Height = 64, Sequences = 3, FramesPerSequence = 7, Seed = 4 };
    private readonly string dir = Directory.CreateTempSubdirectory("md2-pose-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string P(params string[] parts) => Path.Combine([dir, .. parts]);

    [Fact]
    public void TheOdometryLayoutTrainsAndEvaluatesPoseExactlyAsTheSameFramesInTheRawLayout()
    {
        var raw = P("raw");
        SyntheticDatasetWriter.Write(raw, World);
        var odometry = WriteOdometryCopy(raw);
        var testSequence = Enumerable.Range(0, World.Sequences).Single(s => SyntheticDatasetWriter.SplitOf(World, s) == "test");

        // The same frames in the same order with the same (fixed KITTI) intrinsics: one step gives the same weights.
        var fromRaw = Train(raw, "run-raw", "PoseCnn");
        var fromOdometry = Train(odometry, "run-odometry", "PoseCnn", "--layout", "KittiOdometry");
        using (var a = ModelFolder.Load(fromRaw, withPose: true))
        using (var b = ModelFolder.Load(fromOdometry, withPose: true))
        {
            var pa = a.Networks.Parameters().ToList();
            var pb = b.Networks.Parameters().ToList();
            Assert.Equal(pa.Count, pb.Count);
            for (var i = 0; i < pa.Count; i++)
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                Assert.True((pa[i] - pb[i]).abs().max().item<float>() == 0, $"parameter {i} differs between the layouts");
            }
        }

        // evaluate pose in both layouts: the same frames against the same poses give the same trajectory error.
        var rawAte = EvaluatePose(fromRaw, raw, "--sequence", SyntheticDatasetWriter.DriveFolder(World, testSequence));
        var odometryAte = EvaluatePose(fromOdometry, odometry, "--layout", "KittiOdometry", "--sequence", testSequence.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(rawAte, odometryAte);
    }

    [Theory]
    [InlineData("PoseCnn")]
    [InlineData("Shared")]
    public void EvaluatePoseReadsThePoseVariantFromTheModelFolder(string variant)
    {
        var raw = P("raw");
        SyntheticDatasetWriter.Write(raw, World);
        var model = Train(raw, "run", variant);
        var info = CliRunner.Run("info", model);
        Assert.Contains($"pose network   {variant}", info.Output, StringComparison.Ordinal);

        var testSequence = Enumerable.Range(0, World.Sequences).Single(s => SyntheticDatasetWriter.SplitOf(World, s) == "test");
        var drive = SyntheticDatasetWriter.DriveFolder(World, testSequence);
        var ate = EvaluatePose(model, raw, "--sequence", drive);

        // The same evaluation in-process with networks built for the variant by hand.
        using var networks = new MonodepthNetworks(new NetworkOptions(PoseKind: Enum.Parse<PoseNetworkKind>(variant)), withPose: true);
        ModelFolder.Load(model, networks);
        var poses = Path.Combine(raw, "poses", SyntheticDatasetWriter.DriveName(World, testSequence) + ".txt");
        var frames = PoseEvaluator.KittiRawFrames(raw, drive, World.FramesPerSequence);
        var expected = PoseEvaluator.EvaluateModel(networks, frames, poses, World.Width, World.Height);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{expected.AteMean:0.000} {expected.AteStd:0.000} {expected.Ates.Count}"), ate);
    }

    /// <summary>Copies the synthetic world into the KITTI odometry layout: sequences/NN/image_2/NNNNNN.png, poses/NN.txt, splits with "NN frame l".</summary>
    private string WriteOdometryCopy(string raw)
    {
        var odometry = P("odometry");
        var sequenceOf = new Dictionary<string, int>();
        for (var s = 0; s < World.Sequences; s++)
        {
            sequenceOf[SyntheticDatasetWriter.DriveFolder(World, s)] = s;
            for (var f = 0; f < World.FramesPerSequence; f++)
            {
                var target = KittiOdometryDataset.ImagePath(odometry, s, f, CameraSide.Left, ".png");
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(KittiRawDataset.ImagePath(raw, SyntheticDatasetWriter.DriveFolder(World, s), f, CameraSide.Left, ".png"), target);
            }

            var poses = PoseEvaluator.KittiOdometryPoseFile(odometry, s);
            Directory.CreateDirectory(Path.GetDirectoryName(poses)!);
            File.Copy(Path.Combine(raw, "poses", SyntheticDatasetWriter.DriveName(World, s) + ".txt"), poses);
        }

        Directory.CreateDirectory(Path.Combine(odometry, "splits"));
        foreach (var split in new[] { "train", "val", "test" })
        {
            var lines = File.ReadAllLines(Path.Combine(raw, "splits", split + "_files.txt"))
                .Select(l => l.Split(' '))
                .Select(p => string.Create(CultureInfo.InvariantCulture, $"{sequenceOf[p[0]]} {p[1]} {p[2]}"));
            File.WriteAllLines(Path.Combine(odometry, "splits", split + "_files.txt"), lines);
        }

        return odometry;
    }

    private string Train(string data, string run, string poseNetwork, params string[] extra)
    {
        var train = CliRunner.Run(["train", "--data", data, "--out", P(run), "--width", "128", "--height", "64", "--batch-size", "2",
            "--weights-init", "Scratch", "--pose-network", poseNetwork, "--max-steps", "1", "--no-tensorboard", "--num-workers", "1", .. extra]);
        Assert.True(train.ExitCode == 0, train.Error + train.Output);
        return P(run, "models", "weights_last");
    }

    /// <summary>Runs <c>evaluate pose</c> and returns "mean std snippets" as printed.</summary>
    private static string EvaluatePose(string model, string data, params string[] extra)
    {
        var run = CliRunner.Run(["evaluate", "pose", "--model", model, "--data", data, .. extra]);
        Assert.True(run.ExitCode == 0, run.Error + run.Output);
        var match = AteLine().Match(run.Output);
        Assert.True(match.Success, run.Output);
        return $"{match.Groups[1].Value} {match.Groups[2].Value} {match.Groups[3].Value}";
    }

    [GeneratedRegex(@"Trajectory error: ([0-9.]+), std: ([0-9.]+)  \((\d+) snippets")]
    private static partial Regex AteLine();
}
