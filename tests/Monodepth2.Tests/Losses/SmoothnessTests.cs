using Monodepth2.Losses;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Losses;

public sealed class SmoothnessTests : TorchTestBase
{
    [Fact]
    public void ConstantDisparityIsPerfectlySmooth()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(0f, Scalar(Smoothness.EdgeAware(full(2, 1, 6, 7, 0.3f), rand(2, 3, 6, 7))));
    }

    [Fact]
    public void RampOnFlatImageCostsItsSlope()
    {
        // d(x) = 0.5 x: |dx d| = 0.5 everywhere, dy d = 0, flat image weights exp(0) = 1.
        using var scope = NewDisposeScope();
        var d = (arange(7, dtype: ScalarType.Float32) * 0.5f).expand(1, 1, 6, 7);
        AssertClose(0.5, Scalar(Smoothness.EdgeAware(d, full(1, 3, 6, 7, 0.4f))), 1e-6);
    }

    [Fact]
    public void ImageEdgeDownWeightsDisparityEdge()
    {
        // Disparity step of 1 between columns 2 and 3; image step of 0.9 in every channel at the same place.
        // Only that column pair has a gradient: mean over 6 column pairs of exp(-0.9) = exp(-0.9) / 6.
        using var scope = NewDisposeScope();
        var d = zeros(1, 1, 4, 7);
        d[.., .., .., 3..] = tensor(1f);
        var img = zeros(1, 3, 4, 7);
        img[.., .., .., 3..] = tensor(0.9f);
        AssertClose(Math.Exp(-0.9) / 6, Scalar(Smoothness.EdgeAware(d, img)), 1e-6);
        AssertClose(1.0 / 6, Scalar(Smoothness.EdgeAware(d, zeros(1, 3, 4, 7))), 1e-6);
    }

    [Fact]
    public void MeanNormalisationDividesByPerImageMean()
    {
        using var scope = NewDisposeScope();
        var d = cat([full(1, 1, 2, 2, 2f), tensor(new float[] { 1, 2, 3, 6 }, [1, 1, 2, 2])], 0);
        var n = Values(Smoothness.MeanNormalise(d));
        AssertClose(1, n[0], 1e-6);
        AssertClose(1 / 3.0, n[4], 1e-6);
        AssertClose(2, n[7], 1e-6);
    }
}
