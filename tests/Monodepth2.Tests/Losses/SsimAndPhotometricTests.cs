using Monodepth2.Losses;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Losses;

public sealed class SsimAndPhotometricTests : TorchTestBase
{
    [Fact]
    public void SsimTermOfAnImageWithItselfIsZero()
    {
        using var scope = NewDisposeScope();
        var x = rand(2, 3, 9, 11);
        Assert.Equal(0f, Scalar(Ssim.Dissimilarity(x, x).abs().max()), 6);
    }

    [Fact]
    public void SsimTermOfConstantImagesMatchesClosedForm()
    {
        // Constant a and b: variances and covariance vanish, so SSIM = (2ab + C1) / (a^2 + b^2 + C1).
        const double a = 0.3, b = 0.7;
        var ssim = ((2 * a * b) + Ssim.C1) / ((a * a) + (b * b) + Ssim.C1);
        using var scope = NewDisposeScope();
        var term = Ssim.Dissimilarity(full(1, 1, 4, 5, (float)a), full(1, 1, 4, 5, (float)b));
        foreach (var v in Values(term))
        {
            AssertClose((1 - ssim) / 2, v, 2e-5);
        }
    }

    [Fact]
    public void SsimTermMatchesDirectWindowComputation()
    {
        using var scope = NewDisposeScope();
        const int h = 5, w = 6;
        var x = rand(1, 1, h, w);
        var y = rand(1, 1, h, w);
        var xs = Values(x);
        var ys = Values(y);
        var term = Values(Ssim.Dissimilarity(x, y));
        for (var r = 0; r < h; r++)
        {
            for (var c = 0; c < w; c++)
            {
                AssertClose(DirectSsimTerm(xs, ys, h, w, r, c), term[(r * w) + c], 2e-5, $"pixel ({r},{c})");
            }
        }
    }

    [Fact]
    public void SsimTermAndItsGradientMatchTheReferencesAvgPoolFormulation()
    {
        // The reference pools with nn.AvgPool2d(3, 1); Ssim sums shifted views instead. Both, values and input gradients
        // (the loss's backward goes through them), on a batch with several channels and a non-square size.
        using var scope = NewDisposeScope();
        var x = rand(2, 3, 7, 10).requires_grad_();
        var y = rand(2, 3, 7, 10);
        var weights = rand(2, 3, 7, 10);
        var ours = Ssim.Dissimilarity(x, y);
        var gradOurs = autograd.grad([(ours * weights).sum()], [x])[0];
        var reference = AvgPoolSsimTerm(x, y);
        var gradReference = autograd.grad([(reference * weights).sum()], [x])[0];
        Assert.True(Scalar((ours - reference).abs().max()) < 1e-6f, "values");
        var scale = Scalar(gradReference.abs().max());
        Assert.True(scale > 1e-3f, "the gradient is not trivial");
        Assert.True(Scalar((gradOurs - gradReference).abs().max()) < 1e-5f * scale, "gradients");
    }

    private static Tensor AvgPoolSsimTerm(Tensor x, Tensor y)
    {
        x = nn.functional.pad(x, [1, 1, 1, 1], TorchSharp.PaddingModes.Reflect);
        y = nn.functional.pad(y, [1, 1, 1, 1], TorchSharp.PaddingModes.Reflect);
        Tensor Pool(Tensor t) => nn.functional.avg_pool2d(t, 3, 1);
        var (mx, my) = (Pool(x), Pool(y));
        var sx = Pool(x * x) - (mx * mx);
        var sy = Pool(y * y) - (my * my);
        var sxy = Pool(x * y) - (mx * my);
        var n = ((2 * mx * my) + Ssim.C1) * ((2 * sxy) + Ssim.C2);
        var d = ((mx * mx) + (my * my) + Ssim.C1) * (sx + sy + Ssim.C2);
        return ((1 - (n / d)) / 2).clamp(0.0, 1.0);
    }

    [Fact]
    public void PhotometricErrorBlendsSsimAndL1()
    {
        using var scope = NewDisposeScope();
        var a = full(1, 3, 4, 4, 0.2f);
        var b = full(1, 3, 4, 4, 0.6f);
        var ssim = ((2 * 0.2 * 0.6) + Ssim.C1) / ((0.04 + 0.36) + Ssim.C1);
        var expected = (0.85 * (1 - ssim) / 2) + (0.15 * 0.4);
        var pe = Photometric.Error(a, b);
        Assert.Equal(new long[] { 1, 1, 4, 4 }, pe.shape);
        AssertClose(expected, Values(pe)[5], 2e-5);
        AssertClose(0.4, Values(Photometric.Error(a, b, useSsim: false))[5], 1e-6);
    }

    /// <summary>SSIM term at one pixel from explicit 3x3 reflected windows (numpy-style 'reflect': index -1 reads 1).</summary>
    private static double DirectSsimTerm(float[] x, float[] y, int h, int w, int r, int c)
    {
        static int Reflect(int i, int n) => i < 0 ? -i : i >= n ? (2 * n) - 2 - i : i;
        double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
        for (var dr = -1; dr <= 1; dr++)
        {
            for (var dc = -1; dc <= 1; dc++)
            {
                var k = (Reflect(r + dr, h) * w) + Reflect(c + dc, w);
                mx += x[k] / 9.0;
                my += y[k] / 9.0;
                mxx += x[k] * (double)x[k] / 9.0;
                myy += y[k] * (double)y[k] / 9.0;
                mxy += x[k] * (double)y[k] / 9.0;
            }
        }

        var sx = mxx - (mx * mx);
        var sy = myy - (my * my);
        var sxy = mxy - (mx * my);
        var ssim = ((2 * mx * my) + Ssim.C1) * ((2 * sxy) + Ssim.C2) / (((mx * mx) + (my * my) + Ssim.C1) * (sx + sy + Ssim.C2));
        return Math.Clamp((1 - ssim) / 2, 0, 1);
    }
}
