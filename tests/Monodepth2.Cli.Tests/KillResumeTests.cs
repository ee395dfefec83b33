using System.Globalization;
using System.Text.RegularExpressions;
using Monodepth2.Data.Synthetic;
using Monodepth2.Training;
using Monodepth2.Weights;

namespace Monodepth2.Cli.Tests;

/// <summary>
/// kill -9 of <c>monodepth2 train</c> at random moments (seeded), including during checkpoint writes: each
/// <c>train --resume</c> continues from the newest complete checkpoint, no half-written folder is ever published, and
/// the run reaches the same weights as an uninterrupted one. CI kills twice; <c>MD2_TEST_KILLS=5</c> runs the full
/// version (README, "Faults").
/// </summary>
[Collection(CliCollection.Name)]
public sealed partial class KillResumeTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly string[] CheckpointFiles = ["encoder.pth", "depth.pth", "pose.pth", "adam.pth", TrainerState.FileName];
    private readonly string dir = Directory.CreateTempSubdirectory("md2-kill-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static int Kills => int.TryParse(Environment.GetEnvironmentVariable("MD2_TEST_KILLS"), out var k) && k > 0 ? k : 2;

    [Fact]
    public void TrainingKilledAtRandomMomentsResumesFromTheLastCompleteCheckpointToTheSameWeights()
    {
        var kills = Kills;
        var data = Path.Combine(dir, "data");
        SyntheticDatasetWriter.Write(data, new SyntheticWorldOptions { Width = 128, Height = 64, Sequences = 3, FramesPerSequence = 6, Seed = 4 });

        // 4 training samples in batches of 2 and a checkpoint every epoch: a checkpoint write every other step.
        var epochs = kills + 2;
        var total = 2 * epochs;
        string[] Train(string run) =>
        [
            "train", "--data", data, "--out", run, "--width", "64", "--height", "64", "--batch-size", "2", "--epochs", $"{epochs}",
            "--save-frequency", "1", "--weights-init", "Scratch", "--pose-network", "PoseCnn", "--num-workers", "1", "--log-frequency", "1",
            "--no-tensorboard", "--seed", "11",
        ];

        var reference = Path.Combine(dir, "reference");
        using (var uninterrupted = TrainingProcess.Start(Train(reference), dir))
        {
            Assert.True(uninterrupted.WaitForExit(Timeout) == 0, uninterrupted.Output);
            Assert.Contains($"completed all epochs after {total} steps", uninterrupted.Output, StringComparison.Ordinal);
        }

        var run = Path.Combine(dir, "run");
        var models = Path.Combine(run, "models");
        var rng = new Random(20261203);
        var killedDuringWrite = 0;
        var moments = new List<string>();
        for (var k = 0; k < kills; k++)
        {
            var resumeAt = NewestCompleteStep(models);
            var leftovers = TemporaryFolders(models);
            bool Writing() => TemporaryFolders(models).Except(leftovers).Any();
            using var child = TrainingProcess.Start(resumeAt is null ? Train(run) : [.. Train(run), "--resume", run], dir);
            var start = resumeAt ?? 0;
            var latest = total - 2;   // never let a run finish: each is killed before its last step
            // The first kill comes after the first checkpoint, the last one during a write; the others at random.
            var mode = k == kills - 1 ? 0 : k == 0 ? 1 : rng.Next(3);
            switch (mode)
            {
                case 0:
                    // During a checkpoint write: as soon as a temporary checkpoint folder appears, plus 0-20 ms.
                    Assert.True(child.WaitUntil(Writing, Timeout), child.Output);
                    Thread.Sleep(rng.Next(21));
                    break;
                case 1:
                    // During training: 0-300 ms after a given step's progress line (the first kill: after step 3, when
                    // the first epoch's checkpoint exists).
                    var step = Math.Min(start + rng.Next(k == 0 ? 3 : 1, 4), latest);
                    Assert.True(child.WaitUntil(() => child.LastStep >= step, Timeout), child.Output);
                    Thread.Sleep(rng.Next(301));
                    break;
                default:
                    // Any moment from start-up on (loading, the first steps, a write).
                    var delay = TimeSpan.FromMilliseconds(rng.Next(2500));
                    child.WaitUntil(() => child.Clock.Elapsed >= delay || child.LastStep >= Math.Min(start + 3, latest), Timeout);
                    break;
            }

            var duringWrite = Writing();
            child.Kill();
            killedDuringWrite += duringWrite ? 1 : 0;
            moments.Add($"kill {k + 1}: mode {mode}, after step {child.LastStep}{(duringWrite ? ", during a checkpoint write" : string.Empty)}");
            var resumed = ResumedLine().Match(child.Output);
            if (resumeAt is { } expected && resumed.Success)
            {
                // The killed run had started from the newest complete checkpoint (unless it was killed before it said so).
                Assert.Equal(expected, long.Parse(resumed.Groups[2].Value, CultureInfo.InvariantCulture));
                Assert.DoesNotContain(".tmp", Path.GetFileName(resumed.Groups[1].Value), StringComparison.Ordinal);
            }

            AssertPublishedCheckpointsAreComplete(models, reference);
        }

        Assert.True(killedDuringWrite >= 1, string.Join("\n", moments));
        var resumeFrom = NewestCompleteStep(models);
        Assert.True(resumeFrom is not null, string.Join("\n", moments));
        using (var last = TrainingProcess.Start([.. Train(run), "--resume", run], dir))
        {
            Assert.True(last.WaitForExit(Timeout) == 0, last.Output);
            var resumed = ResumedLine().Match(last.Output);
            Assert.True(resumed.Success, last.Output);
            Assert.Equal(resumeFrom, long.Parse(resumed.Groups[2].Value, CultureInfo.InvariantCulture));
            Assert.Contains($"completed all epochs after {total} steps", last.Output, StringComparison.Ordinal);
        }

        // The same weights at the same step as the uninterrupted run (one thread, same seed): resuming reproduces the
        // data order, the augmentation and the loss's random draws. The issue asks for 1e-5; on one thread resuming is
        // bitwise exact, and exactness is what catches a missed random draw (without the per-step seed of the loss's
        // tie-breaking noise the weights differ by about 1e-5 after 8 steps).
        foreach (var name in new[] { "weights_last", $"weights_{epochs - 1}" })
        {
            Assert.Equal(
                TrainerState.Read(Path.Combine(reference, "models", name, TrainerState.FileName)),
                TrainerState.Read(Path.Combine(models, name, TrainerState.FileName)));
            using var expected = ModelFolder.Load(Path.Combine(reference, "models", name), withPose: true);
            using var actual = ModelFolder.Load(Path.Combine(models, name), withPose: true);
            var a = expected.Networks.Parameters().ToList();
            var b = actual.Networks.Parameters().ToList();
            Assert.Equal(a.Count, b.Count);
            for (var i = 0; i < a.Count; i++)
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                var difference = (a[i] - b[i]).abs().max().item<float>();
                Assert.True(difference == 0, $"{name}: parameter {i} differs by {difference} ({string.Join("; ", moments)})");
            }
        }
    }

    /// <summary>
    /// Every published <c>weights_*</c> folder is whole: all files, each the size of the uninterrupted run's (the
    /// files are uncompressed and the tensors the same), a readable training state; the newest loads.
    /// </summary>
    private static void AssertPublishedCheckpointsAreComplete(string models, string reference)
    {
        if (!Directory.Exists(models))
        {
            return;
        }

        var sizes = CheckpointFiles.ToDictionary(f => f, f => new FileInfo(Path.Combine(reference, "models", "weights_last", f)).Length);
        foreach (var folder in Directory.GetDirectories(models, "weights_*"))
        {
            foreach (var file in CheckpointFiles.Where(f => f != TrainerState.FileName))
            {
                var path = Path.Combine(folder, file);
                Assert.True(File.Exists(path), $"{path} is missing from a published checkpoint");
                Assert.Equal(sizes[file], new FileInfo(path).Length);
            }

            TrainerState.Read(Path.Combine(folder, TrainerState.FileName));
        }

        var newest = Directory.GetDirectories(models, "weights_*")
            .OrderByDescending(f => TrainerState.Read(Path.Combine(f, TrainerState.FileName)).Step).FirstOrDefault();
        if (newest is not null)
        {
            using var model = ModelFolder.Load(newest, withPose: true);
        }
    }

    /// <summary>
    /// The step of the newest complete checkpoint: a published <c>weights_*</c> folder, or a retired one a kill left
    /// between the two renames of a replacement (it keeps its training state until it is deleted); null if none.
    /// </summary>
    private static long? NewestCompleteStep(string models)
    {
        if (!Directory.Exists(models))
        {
            return null;
        }

        var steps = Directory.GetDirectories(models)
            .Where(f => Path.GetFileName(f).StartsWith("weights_", StringComparison.Ordinal) || (Path.GetFileName(f).StartsWith(".weights_", StringComparison.Ordinal) && f.EndsWith(".old", StringComparison.Ordinal)))
            .Select(f => Path.Combine(f, TrainerState.FileName))
            .Where(File.Exists)
            .Select(f => TrainerState.Read(f).Step)
            .ToList();
        return steps.Count == 0 ? null : steps.Max();
    }

    private static string[] TemporaryFolders(string models) =>
        Directory.Exists(models) ? Directory.GetDirectories(models, ".weights_*.tmp") : [];

    [GeneratedRegex(@"resumed from (.+) at step (\d+)\)")]
    private static partial Regex ResumedLine();
}
