using Monodepth2.Networks;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Networks;

public sealed class ForwardShapeTests : TorchTestBase
{
    [Theory]
    [InlineData(18, 1, new long[] { 64, 64, 128, 256, 512 })]
    [InlineData(18, 2, new long[] { 64, 64, 128, 256, 512 })]
    [InlineData(50, 1, new long[] { 64, 256, 512, 1024, 2048 })]
    public void EncoderReturnsFiveMapsAtHalvingResolutions(int layers, int images, long[] channels)
    {
        using var scope = NewDisposeScope();
        using var encoder = new ResnetEncoder(layers, images);
        encoder.eval();
        Assert.Equal(channels, encoder.NumChannels);
        using var x = rand(2, 3 * images, 64, 96);
        var features = encoder.call(x);
        Assert.Equal(5, features.Length);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(new long[] { 2, channels[i], 64 >> (i + 1), 96 >> (i + 1) }, features[i].shape);
        }
    }

    [Fact]
    public void DecoderReturnsSigmoidDisparityPerScale()
    {
        using var scope = NewDisposeScope();
        using var encoder = new ResnetEncoder(18, 1);
        using var decoder = new DepthDecoder(encoder.NumChannels);
        var disps = decoder.call(encoder.call(rand(1, 3, 64, 96)));
        Assert.Equal(4, disps.Length);
        for (var s = 0; s < 4; s++)
        {
            Assert.Equal(new long[] { 1, 1, 64 >> s, 96 >> s }, disps[s].shape);
            Assert.True(disps[s].min().item<float>() > 0 && disps[s].max().item<float>() < 1);
        }
    }

    [Fact]
    public void DecoderWithSubsetOfScalesKeepsItsOrder()
    {
        using var scope = NewDisposeScope();
        using var decoder = new DepthDecoder([64, 64, 128, 256, 512], scales: [2, 0]);
        Tensor[] features = [rand(1, 64, 32, 48), rand(1, 64, 16, 24), rand(1, 128, 8, 12), rand(1, 256, 4, 6), rand(1, 512, 2, 3)];
        var disps = decoder.call(features);
        Assert.Equal(new long[] { 1, 1, 16, 24 }, disps[0].shape);
        Assert.Equal(new long[] { 1, 1, 64, 96 }, disps[1].shape);
    }

    [Fact]
    public void PoseDecoderOutputsSmallAxisAngleAndTranslation()
    {
        using var scope = NewDisposeScope();
        using var decoder = new PoseDecoder([64, 64, 128, 256, 512], inputFeatures: 1, framesToPredict: 2);
        using var pose = decoder.call([rand(3, 512, 2, 3)]);
        Assert.Equal(new long[] { 3, 2, 1, 3 }, pose.AxisAngle.shape);
        Assert.Equal(new long[] { 3, 2, 1, 3 }, pose.Translation.shape);
    }

    [Fact]
    public void SharedPoseDecoderConcatenatesInputs()
    {
        using var scope = NewDisposeScope();
        using var decoder = new PoseDecoder([64, 64, 128, 256, 512], inputFeatures: 2);
        Assert.Equal(1, decoder.FramesToPredict);
        using var pose = decoder.call([rand(1, 512, 2, 3), rand(1, 512, 2, 3)]);
        Assert.Equal(new long[] { 1, 1, 1, 3 }, pose.Translation.shape);
    }

    [Fact]
    public void PoseCnnPredictsNMinusOnePoses()
    {
        using var scope = NewDisposeScope();
        using var net = new PoseCnn(3);
        using var pose = net.call(rand(2, 9, 64, 96));
        Assert.Equal(new long[] { 2, 2, 1, 3 }, pose.AxisAngle.shape);
    }

    [Fact]
    public void UnsupportedDepthIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ResnetEncoder(20, 1));
    }
}
