using Monodepth2.Evaluation;
using Monodepth2.Weights;

namespace Monodepth2.Tests.Evaluation;

public sealed class ScalingModeTests
{
    [Fact]
    public void EachModeSetsTheProtocolAndTheModelChoosesItsDefault()
    {
        Assert.Equal(DepthScalingMode.Median, DepthEvaluationOptions.DefaultScaling(new ModelInfo { Width = 64, Height = 32 }));
        Assert.Equal(DepthScalingMode.Stereo, DepthEvaluationOptions.DefaultScaling(new ModelInfo { Width = 64, Height = 32, UseStereo = true }));

        var start = new DepthEvaluationOptions { EigenCrop = true, ScaleFactor = 3 };
        var median = start.WithScaling(DepthScalingMode.Median);
        Assert.Equal((true, 1.0, (double?)null, true), (median.MedianScaling, median.ScaleFactor, median.CameraHeight, median.EigenCrop));

        // The stereo factor is KITTI's 0.54 m baseline over the 0.1 used in training.
        var stereo = start.WithScaling(DepthScalingMode.Stereo);
        Assert.Equal((false, (double?)null), (stereo.MedianScaling, stereo.CameraHeight));
        Assert.Equal(0.54 / 0.1, stereo.ScaleFactor, 9);

        var height = stereo.WithScaling(DepthScalingMode.CameraHeight, 2.0);
        Assert.Equal((false, 1.0, (double?)2.0), (height.MedianScaling, height.ScaleFactor, height.CameraHeight));
        height.Validate();

        var none = height.WithScaling(DepthScalingMode.None);
        Assert.Equal((false, 1.0, (double?)null), (none.MedianScaling, none.ScaleFactor, none.CameraHeight));
        Assert.Equal(stereo, DepthEvaluationOptions.Mono.For(new ModelInfo { Width = 64, Height = 32, UseStereo = true }) with { EigenCrop = true });

        Assert.Throws<ArgumentException>(() => (height with { MedianScaling = true }).Validate());
        Assert.Throws<ArgumentException>(() => (height with { CameraHeight = 0 }).Validate());
    }
}
