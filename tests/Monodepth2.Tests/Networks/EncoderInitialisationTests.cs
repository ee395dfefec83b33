using Monodepth2.Networks;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Networks;

/// <summary>
/// Scratch encoders start as torchvision's ResNets do (the reference's encoders when not loaded from ImageNet): every
/// convolution kaiming-normal, mode fan_out, gain sqrt(2) for ReLU, so std = sqrt(2 / (out channels x kernel area));
/// batch norm weight 1, bias 0. PyTorch's default (kaiming-uniform with a = sqrt(5) on fan_in) gives a different std
/// for each of the layers checked here and a uniform shape (excess kurtosis -1.2).
/// </summary>
public sealed class EncoderInitialisationTests : TorchTestBase
{
    [Theory]
    [InlineData(1, "encoder.conv1.weight", 64 * 7 * 7)]
    [InlineData(2, "encoder.conv1.weight", 64 * 7 * 7)]
    [InlineData(1, "encoder.layer2.0.downsample.0.weight", 128)]
    [InlineData(2, "encoder.layer4.0.conv2.weight", 512 * 3 * 3)]
    public void ConvolutionsAreKaimingNormalFanOut(int inputImages, string name, int fanOut)
    {
        manual_seed(3);
        using var encoder = new ResnetEncoder(18, inputImages);
        var parameters = encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var w = Values(parameters[name]).Select(v => (double)v).ToArray();
        var mean = w.Average();
        var std = Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        var kurtosis = (w.Select(v => Math.Pow(v - mean, 4)).Average() / Math.Pow(std, 4)) - 3;
        var expected = Math.Sqrt(2.0 / fanOut);
        Assert.True(Math.Abs(std / expected - 1) < 0.04, $"{name}: std {std:G4}, expected sqrt(2 / {fanOut}) = {expected:G4}");
        Assert.True(Math.Abs(mean) < 4 * expected / Math.Sqrt(w.Length), $"{name}: mean {mean:G4}");
        Assert.True(Math.Abs(kurtosis) < 0.3, $"{name}: excess kurtosis {kurtosis:F3} (normal 0, uniform -1.2)");
    }

    [Fact]
    public void BatchNormsStartAtWeightOneBiasZero()
    {
        using var encoder = new ResnetEncoder(18, 2);
        var norms = encoder.named_parameters().Where(p => p.name.Contains("bn", StringComparison.Ordinal) || p.name.Contains("downsample.1", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * 20, norms.Count);   // weight and bias of the stem's, 16 blocks' and 3 downsamples' batch norms
        foreach (var (name, p) in norms)
        {
            var expected = name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f;
            Assert.All(Values(p), v => Assert.Equal(expected, v));
        }
    }
}
