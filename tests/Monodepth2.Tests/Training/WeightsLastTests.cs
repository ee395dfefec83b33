using Monodepth2.Data;
using Monodepth2.Networks;
using Monodepth2.Tests.Data;
using Monodepth2.Training;
using Monodepth2.Weights;

namespace Monodepth2.Tests.Training;

/// <summary>
/// <c>weights_last</c> is the folder the README tells users to load: whatever made a run stop, and after a resumed run,
/// it must hold the newest checkpoint (the trainer's weights at its last step).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class WeightsLastTests : DataFixture
{
    public WeightsLastTests() => TorchRuntime.EnsureLoaded();

    /// <summary>Four samples in batches of two: two steps an epoch; PoseCNN keeps checkpoints small.</summary>
    private static TrainingOptions Options() => TinyTraining with { Epochs = 3, PoseNetwork = PoseNetworkKind.PoseCnn, Workers = 1, Seed = 3 };

    private Func<DatasetOptions, IMonodepthDataset> Dataset() => TinyKittiRawTraining();

    [Fact]
    public void WeightsLastHoldsTheNewestCheckpointWhateverStoppedTheRunAndAfterEachResume()
    {
        // One run stopped in every way, resumed each time: time limit (step 1), Ctrl+C at step 3 (after epoch 0's
        // checkpoint at step 2, which must not stay "last"), step limit at 5 (after epoch 1's at step 4), then all
        // three epochs completed (the run ends with weights_2 and weights_last must be that model too).
        var dataset = Dataset();
        var run = Path.Combine(Root, "run");
        using var cancel = new CancellationTokenSource();
        var stages = new (TrainingOptions Options, long Steps, string Reason, string Checkpoint)[]
        {
            (Options() with { MaxDuration = TimeSpan.FromTicks(1) }, 1, "time limit", "weights_last"),
            (Options(), 3, "cancelled", "weights_last"),
            (Options() with { MaxSteps = 5 }, 5, "reached 5 steps", "weights_last"),
            (Options(), 6, "completed all epochs", "weights_2"),
        };

        for (var i = 0; i < stages.Length; i++)
        {
            var (options, steps, reason, checkpoint) = stages[i];
            using var trainer = new Trainer(options, dataset, run, resumeFrom: i == 0 ? null : run);
            var result = trainer.Train(new CancelAt(reason == "cancelled" ? steps : -1, cancel), reason == "cancelled" ? cancel.Token : default);
            Assert.Contains(reason, result.StopReason, StringComparison.Ordinal);
            Assert.Equal(steps, result.Steps);
            Assert.Equal(Path.Combine(run, "models", checkpoint), result.LastCheckpoint);
            AssertLastHolds(run, trainer, steps);
        }

        Assert.Equal(6, TrainerState.Read(Path.Combine(run, "models", "weights_2", TrainerState.FileName)).Step);
    }

    /// <summary>weights_last records <paramref name="steps"/>, no checkpoint is newer, no temporary folder is left, and its weights are the trainer's.</summary>
    private static void AssertLastHolds(string run, Trainer trainer, long steps)
    {
        var models = Path.Combine(run, "models");
        var last = Path.Combine(models, "weights_last");
        Assert.Equal(steps, TrainerState.Read(Path.Combine(last, TrainerState.FileName)).Step);
        foreach (var folder in Directory.GetDirectories(models, "weights_*"))
        {
            Assert.True(TrainerState.Read(Path.Combine(folder, TrainerState.FileName)).Step <= steps, $"{folder} is newer than weights_last");
        }

        Assert.Empty(Directory.GetDirectories(models, ".*"));
        using var saved = ModelFolder.Load(last, withPose: true);
        var expected = trainer.Networks.Parameters().ToList();
        var actual = saved.Networks.Parameters().ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var difference = (expected[i].cpu() - actual[i]).abs().max().item<float>();
            Assert.True(difference == 0, $"parameter {i} {expected[i].name} of weights_last differs from the trainer's by {difference}");
        }
    }

    private sealed class CancelAt(long step, CancellationTokenSource cancel) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step == step)
            {
                cancel.Cancel();
            }
        }
    }
}
