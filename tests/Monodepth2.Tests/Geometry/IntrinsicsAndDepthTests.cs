using Monodepth2.Geometry;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Geometry;

public sealed class IntrinsicsAndDepthTests : TorchTestBase
{
    [Fact]
    public void KittiIntrinsicsAt640x192MatchReferencePixels()
    {
        var k = Intrinsics.Kitti.Matrix(640, 192);
        AssertClose(371.2, k[0, 0], 1e-9);
        AssertClose(368.64, k[1, 1], 1e-9);
        AssertClose(320, k[0, 2], 1e-9);
        AssertClose(96, k[1, 2], 1e-9);
        var k2 = Intrinsics.Kitti.Matrix(640, 192, scale: 2);
        AssertClose(371.2 / 4, k2[0, 0], 1e-9);
        AssertClose(96 / 4.0, k2[1, 2], 1e-9);
    }

    [Fact]
    public void InverseIntrinsicsUndoIntrinsics()
    {
        using var scope = NewDisposeScope();
        var k = Intrinsics.Kitti.ToTensor(640, 192, 1, 2);
        var inv = Intrinsics.Kitti.InverseTensor(640, 192, 1, 2);
        Assert.Equal(new long[] { 2, 4, 4 }, inv.shape);
        var v = Values(k.matmul(inv));
        for (var i = 0; i < 32; i++)
        {
            AssertClose((i % 16) % 5 == 0 ? 1 : 0, v[i], 2e-6, $"entry {i}");
        }
    }

    [Fact]
    public void FromPixelsNormalisesBySize()
    {
        var k = Intrinsics.FromPixels(721.5377, 721.5377, 609.5593, 172.854, 1242, 375);
        AssertClose(721.5377 / 1242, k.Fx, 1e-12);
        AssertClose(721.5377 / 375, k.Fy, 1e-12);
        AssertClose(609.5593 / 1242, k.Cx, 1e-12);
        AssertClose(172.854 / 375, k.Cy, 1e-12);
        // KITTI's fixed normalised intrinsics are this calibration rounded.
        AssertClose(Intrinsics.Kitti.Fx, k.Fx, 2e-3);
        AssertClose(Intrinsics.Kitti.Fy, k.Fy, 5e-3);
    }

    [Theory]
    [InlineData(0.0, 100.0)]
    [InlineData(1.0, 0.1)]
    [InlineData(0.5, 1 / (0.01 + (9.99 * 0.5)))]
    public void DispToDepthMapsSigmoidToDepthRange(double sigmoid, double expectedDepth)
    {
        AssertClose(expectedDepth, DepthConversion.DispToDepth(sigmoid), 1e-9);
        using var scope = NewDisposeScope();
        var (scaled, depth) = DepthConversion.DispToDepth(tensor(new[] { (float)sigmoid }));
        AssertClose(expectedDepth, Scalar(depth), expectedDepth * 1e-6);
        AssertClose(1 / expectedDepth, Scalar(scaled), 1e-5);
    }
}
