using Monodepth2.Data;
using Monodepth2.Data.Synthetic;
using Monodepth2.Evaluation;
using Monodepth2.Training;
using Xunit.Abstractions;

namespace Monodepth2.Tests.Training;

/// <summary>
/// The end-to-end proof that self-supervision works: a short mono run from scratch on the synthetic street world
/// lowers the photometric loss and beats the untrained network's median-scaled abs_rel on held-out sequences.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class SyntheticTrainingTests(ITestOutputHelper output) : IDisposable
{
    private const int W = 192;
    private const int H = 64;
    private readonly string root = Directory.CreateTempSubdirectory("md2-train-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void ShortMonoTrainingLowersLossAndBeatsUntrainedDepth()
    {
        TorchRuntime.EnsureLoaded();
        var steps = int.TryParse(Environment.GetEnvironmentVariable("MD2_TEST_TRAIN_STEPS"), out var s) ? s : 150;
        var world = new SyntheticWorldOptions { Width = W, Height = H, Sequences = 5, FramesPerSequence = 30, Seed = 11, TestSequences = 1, ValSequences = 1 };
        SyntheticDatasetWriter.Write(root, world);
        var trainEntries = SplitFile.Read(Path.Combine(root, "splits", "train_files.txt"));
        var testEntries = SplitFile.Read(Path.Combine(root, "splits", "test_files.txt"));

        var options = new TrainingOptions
        {
            Width = W, Height = H, BatchSize = 4, WeightsInit = WeightsInit.Scratch, Workers = 2,
            MaxSteps = steps, Epochs = 100, LogFrequency = 50, TensorBoard = false, Seed = 1,
        };
        using var trainer = new Trainer(options, d => new KittiRawDataset(root, trainEntries, d), Path.Combine(root, "run"));
        DepthEvaluationReport Evaluate() => DepthEvaluator.EvaluateModel(trainer.Networks, options.Model, root, testEntries, DepthEvaluationOptions.Mono);
        var before = Evaluate();
        var result = trainer.Train();
        var after = Evaluate();

        var losses = result.LossHistory.Select(h => h.Loss).ToArray();
        var first = losses.Take(20).Average();
        var last = losses.TakeLast(20).Average();
        output.WriteLine($"{result.Steps} steps in {result.Elapsed.TotalSeconds:F0} s; loss {first:F4} -> {last:F4}; " +
                         $"abs_rel untrained {before.Mean.AbsRel:F3} -> trained {after.Mean.AbsRel:F3} (a1 {before.Mean.A1:F3} -> {after.Mean.A1:F3}) on {after.Images} held-out frames");
        Assert.True(last < 0.9 * first, $"loss did not fall: {first} -> {last}");
        Assert.True(after.Mean.AbsRel < 0.85 * before.Mean.AbsRel, $"abs_rel {before.Mean.AbsRel} -> {after.Mean.AbsRel}");
    }
}
