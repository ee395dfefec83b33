using Monodepth2.Data;
using Monodepth2.Evaluation;
using Monodepth2.Tests.Data;
using Monodepth2.Training;
using Monodepth2.Weights;

namespace Monodepth2.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class VelocityTrainingTests : DataFixture
{
    public VelocityTrainingTests() => TorchRuntime.EnsureLoaded();

    private static TrainingOptions Options() => TinyTraining with { MaxSteps = 2, VelocityWeight = 0.1 };

    private Func<DatasetOptions, IMonodepthDataset> Dataset() => TinyKittiRawTraining();

    [Fact]
    public void KittiRawWithOnlyAPosesFileTrainsWithVelocityAndSavesAMetricModel()
    {
        var dataset = Dataset();
        Assert.False(Directory.Exists(Path.Combine(Root, Drive, "oxts")));
        // 1 m per frame straight ahead.
        Directory.CreateDirectory(Path.Combine(Root, "poses"));
        File.WriteAllLines(KittiRawDataset.PosesPath(Root, Drive), Enumerable.Range(0, 6).Select(f => $"1 0 0 0 0 1 0 0 0 0 1 {f}"));
        var progress = new List<TrainingProgress>();
        var run = Path.Combine(Root, "run");
        TrainingResult result;
        using (var trainer = new Trainer(Options(), dataset, run))
        {
            result = trainer.Train(new ListProgress(progress));
        }

        Assert.Equal(2, progress.Count);
        Assert.All(progress, p => Assert.True(p.Velocity is { } v && double.IsFinite(v) && v > 0, $"velocity term {p.Velocity}"));
        // The term is in the total: it is the photometric + smoothness part plus 0.1 x velocity.
        Assert.All(progress, p => Assert.True(p.Loss > p.Reprojection + (0.1 * p.Velocity!.Value) - 1e-4, $"loss {p.Loss}"));
        var info = ModelFolder.ReadInfo(result.LastCheckpoint!);
        Assert.True(info.Metric);
        Assert.False(info.UseStereo);
        Assert.Equal(1.0, info.DepthScale);
        var evaluation = new DepthEvaluationOptions().For(info);
        Assert.False(evaluation.MedianScaling);
        Assert.Equal(1.0, evaluation.ScaleFactor);
    }

    [Fact]
    public void VelocityWeightWithoutAnyTravelIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new Trainer(Options(), Dataset(), Path.Combine(Root, "run")));
        Assert.Contains("Velocity supervision", error.Message, StringComparison.Ordinal);
        Assert.Contains("poses", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VelocityWeightIsValidated()
    {
        Assert.Contains("VelocityWeight", Assert.Throws<ArgumentException>(() => (Options() with { VelocityWeight = -1 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("stereo", Assert.Throws<ArgumentException>(() => (Options() with { Modality = Modality.MonoStereo }).Validate()).Message, StringComparison.Ordinal);
        Assert.False((Options() with { VelocityWeight = 0 }).Model.Metric);
        Assert.False((Options() with { VelocityWeight = 0 }).Data.LoadTravel);
        Assert.True(Options().Data.LoadTravel);
    }

    private sealed class ListProgress(List<TrainingProgress> sink) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => sink.Add(value);
    }
}
