using Monodepth2.Networks;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Networks;

/// <summary>
/// The networks on bfloat16 inputs (mixed precision, <see cref="MixedPrecision"/>) against the same networks on float32
/// inputs: the outputs agree to bfloat16's resolution, and every gradient lands, in float32, on the float32 weights.
/// </summary>
public sealed class MixedPrecisionTests : TorchTestBase
{
    [Theory]
    [InlineData(18, PoseNetworkKind.SeparateResnet)]
    [InlineData(18, PoseNetworkKind.PoseCnn)]
    [InlineData(50, PoseNetworkKind.Shared)]
    public void BFloat16InputsGiveFloat32OutputsAndGradientsCloseToFloat32(int layers, PoseNetworkKind poseKind)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var networks = new MonodepthNetworks(new NetworkOptions(layers, PoseKind: poseKind));
        var target = rand(2, 3, 64, 96);
        var source = rand(2, 3, 64, 96);
        var weights = Enumerable.Range(0, 4).Select(i => randn(2, 1, 64 >> i, 96 >> i)).ToArray();
        var poseWeights = randn(2, 1, 1, 3);

        (Tensor[] Disparities, Tensor AxisAngle, Tensor Translation, Tensor Gradients) Run(ScalarType type)
        {
            foreach (var p in networks.Parameters())
            {
                p.grad?.zero_();
            }

            var t = target.to(type);
            var s = source.to(type);
            var features = networks.Encoder.call(t);
            var disparities = networks.Decoder.call(features);
            var sourceFeatures = poseKind == PoseNetworkKind.Shared ? networks.Encoder.call(s) : null;
            var pose = networks.Pose!.TargetToSourceParameters(t, s, +1, poseKind == PoseNetworkKind.Shared ? features : null, sourceFeatures);
            // A loss that weighs every output element differently, so a permuted or misplaced output changes the gradients.
            var loss = disparities.Zip(weights, (d, w) => (d * w).mean()).Aggregate((a, b) => a + b) +
                       (100 * pose.AxisAngle * poseWeights).sum() + (100 * pose.Translation * poseWeights).sum();
            loss.backward();
            var gradients = cat(networks.Parameters().Select(p => p.grad!.flatten()).ToArray());
            return (disparities.Select(d => d.detach().clone()).ToArray(), pose.AxisAngle.detach().clone(), pose.Translation.detach().clone(), gradients.clone());
        }

        // Evaluation mode: batch norm uses the (float32) running statistics, so both passes see the same normalisation.
        networks.Train(false);
        var single = Run(ScalarType.Float32);
        var mixed = Run(ScalarType.BFloat16);

        // The networks' outputs are float32 whatever they computed in, and the weights and their gradients stay float32.
        Assert.All(mixed.Disparities, d => Assert.Equal(ScalarType.Float32, d.dtype));
        Assert.Equal(ScalarType.Float32, mixed.AxisAngle.dtype);
        Assert.Equal(ScalarType.Float32, mixed.Translation.dtype);
        Assert.All(networks.Parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(networks.Parameters(), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));

        // bfloat16 keeps 8 significant bits (relative resolution 2^-8 = 0.4 %); after a ResNet the sigmoid disparities
        // agree to about 4e-4 (measured 3.3e-4 to 3.7e-4 for these three), the poses to about 0.25 % of their size, where a
        // convolution with a wrong stride, padding or weight would miss by far more.
        foreach (var (a, b) in single.Disparities.Zip(mixed.Disparities))
        {
            var worst = (a - b).abs().max().item<float>();
            Assert.True(worst < 3e-3f, $"disparity differs by {worst}");
        }

        AssertClose(single.AxisAngle, mixed.AxisAngle, "axis-angle");
        AssertClose(single.Translation, mixed.Translation, "translation");

        // The gradients point the same way and have the same size (measured: cosine 0.99995 and above, norms within 0.4 %).
        var cosine = (single.Gradients * mixed.Gradients).sum().item<float>() / (single.Gradients.norm().item<float>() * mixed.Gradients.norm().item<float>());
        var ratio = mixed.Gradients.norm().item<float>() / single.Gradients.norm().item<float>();
        Assert.True(cosine > 0.999f, $"gradient cosine {cosine}");
        Assert.True(Math.Abs(ratio - 1) < 0.02f, $"gradient norm ratio {ratio}");
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var scale = expected.abs().max().item<float>();
        var worst = (expected - actual).abs().max().item<float>();
        Assert.True(worst <= 0.02f * scale, $"{what} differs by {worst} (largest {scale})");
    }
}
