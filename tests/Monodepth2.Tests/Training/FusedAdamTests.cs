using Monodepth2.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Training;

/// <summary>The one-pass Adam step against TorchSharp's own Adam (the reference implementation of the formula).</summary>
public sealed class FusedAdamTests : TorchTestBase
{
    [Fact]
    public void MatchesTorchSharpsAdamOverSeveralStepsAndALearningRateChange()
    {
        // Shapes: a vector tail that is not a multiple of the SIMD width, and one tensor large enough to be split across threads.
        long[][] shapes = [[3], [7, 5], [64, 3, 3, 3], [300, 257]];
        var a = shapes.Select(s => new Parameter(randn(s))).ToArray();
        var b = a.Select(p => new Parameter(p.detach().clone())).ToArray();
        using var initial = a[3].detach().clone();
        using var reference = optim.Adam(a, lr: 1e-3);
        using var fused = optim.Adam(b, lr: 1e-3);
        Assert.True(FusedAdam.Supports(fused));
        for (var step = 1; step <= 6; step++)
        {
            if (step == 4)
            {
                foreach (var g in reference.ParamGroups.Concat(fused.ParamGroups))
                {
                    g.LearningRate = 3e-4;
                }
            }

            for (var i = 0; i < a.Length; i++)
            {
                // Gradients of very different scales, as in a real network.
                using var grad = randn(a[i].shape) * Math.Pow(10, i - 2);
                a[i].grad = grad.clone();
                b[i].grad = grad.clone();
            }

            reference.step();
            FusedAdam.Step(fused);
        }

        var ra = reference.state_dict().State.Cast<Adam.State>().ToArray();
        var fa = fused.state_dict().State.Cast<Adam.State>().ToArray();
        for (var i = 0; i < a.Length; i++)
        {
            Assert.Equal(6, fa[i].step);
            AssertClose(a[i], b[i], $"parameter {i}");
            AssertClose(ra[i].exp_avg, fa[i].exp_avg, $"exp_avg {i}");
            AssertClose(ra[i].exp_avg_sq, fa[i].exp_avg_sq, $"exp_avg_sq {i}");
        }

        // The parameters moved (by about lr per step): the comparison above is not between two untouched copies.
        Assert.True((b[3] - initial).abs().max().item<float>() > 1e-3f, "the parameters did not move");
        Assert.True(ra[3].exp_avg.abs().max().item<float>() > 0.01f, "the moments stayed at zero");
    }

    [Fact]
    public void SettingsItDoesNotImplementAreLeftToTorchSharp()
    {
        using var amsgrad = optim.Adam([new Parameter(zeros(3))], amsgrad: true);
        using var decay = optim.Adam([new Parameter(zeros(3))], weight_decay: 0.1);
        Assert.False(FusedAdam.Supports(amsgrad));
        Assert.False(FusedAdam.Supports(decay));
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var e = Values(expected);
        var f = Values(actual);
        var scale = e.Max(Math.Abs) + 1e-12f;
        var worst = e.Zip(f, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(worst <= 1e-6 * scale, $"{what}: differs by {worst} (scale {scale})");
    }
}
