using Monodepth2.Evaluation;
using Monodepth2.Networks;
using Monodepth2.Weights;

namespace Monodepth2.Tests.Weights;

public sealed class MetricModelTests : TorchTestBase, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-metric-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void MetricFlagRoundTripsAndOldFoldersFollowUseStereo()
    {
        using var networks = new MonodepthNetworks(new NetworkOptions(18, [0]), withPose: false);
        ModelFolder.Save(Path.Combine(dir, "velocity"), networks, new ModelInfo { Width = 64, Height = 64, Metric = true });
        var velocity = ModelFolder.ReadInfo(Path.Combine(dir, "velocity"));
        Assert.Equal((true, false, 1.0), (velocity.Metric, velocity.UseStereo, velocity.DepthScale));
        Assert.Contains(velocity.Describe(), d => d.Name == "metric" && d.Value.StartsWith("yes", StringComparison.Ordinal));

        ModelFolder.Save(Path.Combine(dir, "mono"), networks, new ModelInfo { Width = 64, Height = 64 });
        Assert.False(ModelFolder.ReadInfo(Path.Combine(dir, "mono")).Metric);

        // A folder without the 'metric' entry (the reference's, or older ones): metric exactly when stereo-trained.
        Assert.True(new ModelInfo { Width = 64, Height = 64, UseStereo = true }.Metric);
        Assert.False(new ModelInfo { Width = 64, Height = 64 }.Metric);
    }

    [Fact]
    public void EvaluationDefaultsFollowTheDescription()
    {
        var mono = new DepthEvaluationOptions().For(new ModelInfo { Width = 64, Height = 64 });
        Assert.Equal((true, 1.0), (mono.MedianScaling, mono.ScaleFactor));
        var stereo = new DepthEvaluationOptions().For(new ModelInfo { Width = 64, Height = 64, UseStereo = true });
        Assert.Equal((false, 5.4), (stereo.MedianScaling, stereo.ScaleFactor));
        var velocity = new DepthEvaluationOptions().For(new ModelInfo { Width = 64, Height = 64, Metric = true });
        Assert.Equal((false, 1.0), (velocity.MedianScaling, velocity.ScaleFactor));
    }
}
