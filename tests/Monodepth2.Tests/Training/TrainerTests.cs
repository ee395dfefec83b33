using Monodepth2.Data;
using Monodepth2.Tests.Data;
using Monodepth2.Training;

namespace Monodepth2.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainerTests : DataFixture
{
    public TrainerTests() => TorchRuntime.EnsureLoaded();

    private static TrainingOptions Options(Modality modality = Modality.Mono) => TinyTraining with { Modality = modality };

    private Func<DatasetOptions, IMonodepthDataset> Dataset() => TinyKittiRawTraining();

    [Fact]
    public void SameSeedGivesSameLosses()
    {
        var dataset = Dataset();
        double[] Run(string name, int seed = 7)
        {
            using var trainer = new Trainer(Options() with { MaxSteps = 3, Seed = seed }, dataset, Path.Combine(Root, name));
            return trainer.Train().LossHistory.Select(h => h.Loss).ToArray();
        }

        var a = Run("a");
        var b = Run("b");
        Assert.Equal(3, a.Length);
        Assert.Equal(a, b);
        // The seed is what makes them equal: another seed (initialisation, sample order, augmentation) changes every loss.
        var c = Run("c", seed: 8);
        Assert.All(a.Zip(c), p => Assert.NotEqual(p.First, p.Second));
    }

    [Fact]
    public void ChannelsLastInputsTrainAsChannelsFirstOnesAndStayDeterministic()
    {
        var dataset = Dataset();
        (double[] Losses, float[] Weights, long[] Strides) Run(string name, bool channelsLast)
        {
            using var trainer = new Trainer(Options() with { MaxSteps = 3 }, dataset, Path.Combine(Root, name)) { ChannelsLast = channelsLast };
            // The strides the depth encoder's first convolution sees: the switch must reach the networks.
            long[] strides = [];
            var conv1 = trainer.Networks.Encoder.modules().OfType<TorchSharp.Modules.Conv2d>().First();
            var hook = conv1.register_forward_hook((m, input, output) =>
            {
                strides = input.stride();
                return output;
            });
            var losses = trainer.Train().LossHistory.Select(h => h.Loss).ToArray();
            hook.remove();
            return (losses, conv1.weight!.data<float>().ToArray(), strides);
        }

        var first = Run("first", channelsLast: false);
        var last = Run("last", channelsLast: true);
        var again = Run("again", channelsLast: true);
        const int w = 64, h = 64;
        Assert.Equal([3L * h * w, h * w, w, 1], first.Strides);
        Assert.Equal([3L * h * w, 1, 3 * w, 3], last.Strides);
        // Same batches, same initial weights: only the convolutions' summation order differs, so the losses agree to
        // float noise (1e-4 relative after three Adam steps, where a wrongly ordered image would change them by percents).
        Assert.Equal(3, last.Losses.Length);
        Assert.All(first.Losses.Zip(last.Losses), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-4 * p.First, $"{p.First} vs {p.Second}"));
        var worst = first.Weights.Zip(last.Weights, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(worst < 1e-3f * first.Weights.Max(Math.Abs), $"conv1 weights differ by {worst}");
        // Channels-last is deterministic run to run, as channels-first is (SameSeedGivesSameLosses).
        Assert.Equal(last.Losses, again.Losses);
        Assert.Equal(last.Weights, again.Weights);
    }

    [Fact]
    public void BFloat16MixedPrecisionTrainsAsFloat32WithFloat32WeightsAndCheckpoints()
    {
        var dataset = Dataset();
        (double[] Losses, float[] Start, float[] Weights, string Checkpoint, Trainer Trainer) Run(string name, TrainingPrecision precision)
        {
            var trainer = new Trainer(Options() with { MaxSteps = 3, Precision = precision }, dataset, Path.Combine(Root, name));
            var conv1 = trainer.Networks.Encoder.modules().OfType<TorchSharp.Modules.Conv2d>().First();
            var start = conv1.weight!.data<float>().ToArray();
            var result = trainer.Train();
            return (result.LossHistory.Select(h => h.Loss).ToArray(), start, conv1.weight!.data<float>().ToArray(), result.LastCheckpoint!, trainer);
        }

        var single = Run("float32", TrainingPrecision.Float32);
        var mixed = Run("bfloat16", TrainingPrecision.BFloat16);
        var again = Run("bfloat16-again", TrainingPrecision.BFloat16);
        using (single.Trainer)
        using (mixed.Trainer)
        using (again.Trainer)
        {
            Assert.Equal(TorchSharp.torch.ScalarType.Float32, single.Trainer.ComputeType);
            Assert.Equal(TorchSharp.torch.ScalarType.BFloat16, mixed.Trainer.ComputeType);
            // Master weights, optimiser and checkpoints stay float32.
            Assert.All(mixed.Trainer.Networks.Parameters(), p => Assert.Equal(TorchSharp.torch.ScalarType.Float32, p.dtype));
        }

        // Same seed, batches and initial weights: the losses agree far inside bfloat16's resolution per operation (the loss
        // averages over every pixel), and the weights took the same Adam steps (about 1e-4 each, sign-like at the start):
        // the two runs' updates of the first convolution point the same way (measured cosine 0.87; unrelated updates give
        // about 0, and weights whose gradient is near zero take sign-like steps either way).
        Assert.Equal(single.Start, mixed.Start);
        Assert.Equal(3, mixed.Losses.Length);
        Assert.All(single.Losses.Zip(mixed.Losses), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-3 * p.First, $"{p.First} vs {p.Second}"));
        Assert.NotEqual(single.Losses, mixed.Losses);
        var a = single.Weights.Zip(single.Start, (w, s) => (double)(w - s)).ToArray();
        var b = mixed.Weights.Zip(mixed.Start, (w, s) => (double)(w - s)).ToArray();
        var cosine = a.Zip(b, (x, y) => x * y).Sum() / Math.Sqrt(a.Sum(x => x * x) * b.Sum(y => y * y));
        Assert.True(cosine > 0.6, $"conv1 updates: cosine {cosine}");
        // Mixed precision is deterministic run to run, as float32 is (SameSeedGivesSameLosses).
        Assert.Equal(mixed.Losses, again.Losses);
        Assert.Equal(mixed.Weights, again.Weights);

        // The bfloat16 run's checkpoint is a float32 model folder, with the weights the run ended with.
        using var loaded = Monodepth2.Weights.ModelFolder.Load(mixed.Checkpoint);
        Assert.All(loaded.Networks.Parameters(), p => Assert.Equal(TorchSharp.torch.ScalarType.Float32, p.dtype));
        var saved = loaded.Networks.Encoder.modules().OfType<TorchSharp.Modules.Conv2d>().First().weight!.data<float>().ToArray();
        Assert.Equal(mixed.Weights, saved);
    }

    [Fact]
    public void StopsAtMaxStepsWithACheckpointAndResumes()
    {
        var dataset = Dataset();
        var run = Path.Combine(Root, "run");
        var progress = new List<TrainingProgress>();
        TrainingResult first;
        using (var trainer = new Trainer(Options() with { MaxSteps = 3, Epochs = 3 }, dataset, run))
        {
            first = trainer.Train(new SyncProgress(progress));
        }

        Assert.Equal(3, first.Steps);
        Assert.Equal("reached 3 steps", first.StopReason);
        Assert.Equal(3, progress.Count);
        Assert.Equal(first.LastCheckpoint, Path.Combine(run, "models", "weights_last"));
        foreach (var f in new[] { "encoder.pth", "depth.pth", "pose_encoder.pth", "pose.pth", "adam.pth", "trainer_state.json" })
        {
            Assert.True(File.Exists(Path.Combine(first.LastCheckpoint!, f)), f);
        }

        Assert.True(File.Exists(Path.Combine(run, "models", "opt.json")));
        // Two batches per epoch: step 3 is the first batch of epoch 1.
        var state = TrainerState.Read(Path.Combine(first.LastCheckpoint!, TrainerState.FileName));
        Assert.Equal(new TrainerState(1, 1, 3, 7), state);

        using var resumed = new Trainer(Options() with { Epochs = 3 }, dataset, run, resumeFrom: run);
        Assert.Equal(3, resumed.Step);
        var second = resumed.Train();
        Assert.Equal(6, second.Steps);
        Assert.Equal("completed all epochs", second.StopReason);
        Assert.Equal(3, second.LossHistory.Count);
        Assert.True(Directory.Exists(Path.Combine(run, "models", "weights_2")));
    }

    [Fact]
    public void TensorBoardEventFileIsWritten()
    {
        var dataset = Dataset();
        var run = Path.Combine(Root, "tb");
        using (var trainer = new Trainer(Options() with { MaxSteps = 2, TensorBoard = true }, dataset, run))
        {
            trainer.Train();
        }

        var events = Directory.GetFiles(Path.Combine(run, "train"), "events.out.tfevents.*");
        Assert.Single(events);
        var bytes = File.ReadAllBytes(events[0]);
        // Scalars and the colour/disparity images of steps 1 and 2 (TFRecord-framed protobuf events).
        Assert.True(bytes.Length > 2 * 64 * 64, $"event file has only {bytes.Length} bytes");
        Assert.True(bytes.AsSpan().IndexOf("disp/0"u8) >= 0, "no disparity image in the event file");
        Assert.True(bytes.AsSpan().IndexOf("loss/reprojection"u8) >= 0, "no reprojection scalar in the event file");
    }

    [Fact]
    public void PredictiveMaskAblationTrainsAndSavesItsDecoder()
    {
        var dataset = Dataset();
        Assert.Contains("PredictiveMask", Assert.Throws<ArgumentException>(() => new Trainer(Options() with { PredictiveMask = true }, dataset, Root)).Message);
        var run = Path.Combine(Root, "mask");
        using var trainer = new Trainer(Options() with { PredictiveMask = true, UseAutoMasking = false, MaxSteps = 1 }, dataset, run);
        Assert.NotNull(trainer.Networks.MaskDecoder);
        var result = trainer.Train();
        Assert.True(double.IsFinite(result.LossHistory[0].Loss));
        Assert.True(File.Exists(Path.Combine(result.LastCheckpoint!, "predictive_mask.pth")));
    }

    [Fact]
    public void StereoTrainingNeedsNoPoseNetwork()
    {
        var dataset = Dataset();
        using var trainer = new Trainer(Options(Modality.Stereo) with { MaxSteps = 1 }, dataset, Path.Combine(Root, "stereo"));
        Assert.Null(trainer.Networks.Pose);
        Assert.True(double.IsFinite(trainer.Train().LossHistory[0].Loss));
    }

    [Fact]
    public void StereoWarmUpTrainsOnTheStereoPairAloneThenOnAllSources()
    {
        // During the warm-up the pose network gets no gradient (its weights stay as they were) and only the identity
        // and the stereo pair compete in the minimum; after it the temporal frames join and the pose network learns.
        var dataset = Dataset();
        static float[] Values(TorchSharp.torch.Tensor t) => t.detach().cpu().data<float>().ToArray();
        static float[] PoseWeights(Trainer t) => Values(t.Networks.Pose!.Decoder!.parameters().Last());
        var progress = new List<TrainingProgress>();
        using var trainer = new Trainer(Options(Modality.MonoStereo) with { StereoWarmupSteps = 2, MaxSteps = 3 }, dataset, Path.Combine(Root, "warmup"));
        var initial = PoseWeights(trainer);
        var depthInitial = Values(trainer.Networks.Decoder.parameters().Last());
        trainer.Train(new SyncProgress(progress));

        Assert.Equal(3, progress.Count);
        foreach (var warm in progress.Take(2))
        {
            var shares = warm.MinimumShares.ToDictionary(s => s.Candidate, s => s.Share);
            Assert.Equal((0.0, 0.0), (shares["-1"], shares["+1"]));
            Assert.Equal(1.0, shares["identity"] + shares["s"], 5);
        }

        // The pose network learns only through the temporal frames' warps: its weights moving shows they joined the loss.
        Assert.NotEqual(depthInitial, Values(trainer.Networks.Decoder.parameters().Last()));
        Assert.NotEqual(initial, PoseWeights(trainer));

        using var warmOnly = new Trainer(Options(Modality.MonoStereo) with { StereoWarmupSteps = 2, MaxSteps = 2 }, dataset, Path.Combine(Root, "warmup2"));
        var before = PoseWeights(warmOnly);
        warmOnly.Train();
        Assert.Equal(before, PoseWeights(warmOnly));
        Assert.Contains("mono+stereo", Assert.Throws<ArgumentException>(() => (Options() with { StereoWarmupSteps = 5 }).Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDatasetIsLoadedWithTheOptionsTrainingImplies()
    {
        var dataset = Dataset();
        DatasetOptions? seen = null;
        using (new Trainer(Options(Modality.MonoStereo) with { Width = 96, Scales = [0, 1] }, d => dataset(seen = d), Root))
        {
        }

        Assert.NotNull(seen);
        Assert.Equal((96, 64), (seen.Width, seen.Height));
        Assert.Equal([FrameId.Target, FrameId.Temporal(-1), FrameId.Temporal(1), FrameId.Stereo], seen.FrameIds);
        Assert.Equal(2, seen.Scales);   // pyramid levels 0 and 1 for loss scales 0 and 1
        Assert.Equal(7, seen.Seed);
        Assert.True(seen.Augment);
    }

    [Fact]
    public void BadOptionsAreRejectedByName()
    {
        var dataset = Dataset();
        var height = Assert.Throws<ArgumentException>(() => new Trainer(Options() with { Height = 32 }, dataset, Root));
        Assert.Equal("Height", height.ParamName);
        Assert.Contains("multiple of 32, at least 64 (got 32)", height.Message, StringComparison.Ordinal);
        var init = Assert.Throws<ArgumentException>(() => new Trainer(Options() with { WeightsInit = WeightsInit.Pretrained }, dataset, Root));
        Assert.Equal("initializer", init.ParamName);
    }

    [Fact]
    public void LearningRateDropsTenfoldEverySchedulerPeriod()
    {
        var dataset = Dataset();
        using var trainer = new Trainer(Options() with { SchedulerStepSize = 15 }, dataset, Path.Combine(Root, "lr"));
        Assert.Equal(1e-4, trainer.LearningRateAt(14), 12);
        Assert.Equal(1e-5, trainer.LearningRateAt(15), 12);
        Assert.Equal(1e-6, trainer.LearningRateAt(30), 12);
    }

    private sealed class SyncProgress(List<TrainingProgress> sink) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => sink.Add(value);
    }
}
