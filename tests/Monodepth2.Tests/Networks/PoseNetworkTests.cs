using Monodepth2.Geometry;
using Monodepth2.Networks;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Networks;

public sealed class PoseNetworkTests : TorchTestBase
{
    [Theory]
    [InlineData(PoseNetworkKind.SeparateResnet, 2)]
    [InlineData(PoseNetworkKind.Shared, 1)]
    [InlineData(PoseNetworkKind.PoseCnn, 1)]
    public void EachVariantReturnsTransformsAndHasItsModules(PoseNetworkKind kind, int modules)
    {
        using var scope = NewDisposeScope();
        using var depthEncoder = new ResnetEncoder(18, 1);
        using var pose = new PoseNetwork(kind, depthEncoderChannels: depthEncoder.NumChannels);
        Assert.Equal(modules, pose.Modules.Count);
        var a = rand(2, 3, 64, 96);
        var b = rand(2, 3, 64, 96);
        var fa = kind == PoseNetworkKind.Shared ? depthEncoder.call(a) : null;
        var fb = kind == PoseNetworkKind.Shared ? depthEncoder.call(b) : null;
        var t = pose.TargetToSource(a, b, +1, fa, fb);
        Assert.Equal(new long[] { 2, 4, 4 }, t.shape);
    }

    [Fact]
    public void EarlierSourceUsesSwappedPairAndInvertedTransform()
    {
        // Reference rule: for frame -1 the network sees [source, target] and the transform is inverted; for +1 it sees
        // [target, source]. So TargetToSource(target, src, -1) must equal inverse(T from PredictPair(src, target)).
        using var scope = NewDisposeScope();
        using var pose = new PoseNetwork(PoseNetworkKind.SeparateResnet);
        pose.Train(false);
        var target = rand(1, 3, 64, 96);
        var source = rand(1, 3, 64, 96);
        var (aa, tr) = pose.PredictPair(source, target);
        var forward = PoseMath.TransformationFromParameters(aa, tr);
        var before = pose.TargetToSource(target, source, -1);
        Assert.True(allclose(before.matmul(forward), eye(4).unsqueeze(0), atol: 1e-5));
        var (aa2, tr2) = pose.PredictPair(target, source);
        Assert.True(allclose(pose.TargetToSource(target, source, +1), PoseMath.TransformationFromParameters(aa2, tr2), atol: 1e-6));
    }

    [Fact]
    public void SharedVariantWithoutFeaturesIsRejected()
    {
        using var pose = new PoseNetwork(PoseNetworkKind.Shared, depthEncoderChannels: [64, 64, 128, 256, 512]);
        using var x = rand(1, 3, 64, 96);
        Assert.Throws<ArgumentException>(() => pose.TargetToSource(x, x, 1));
    }
}
