using Monodepth2.Geometry;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Geometry;

public sealed class ReprojectionTests : TorchTestBase
{
    private const int H = 12;
    private const int W = 20;

    [Fact]
    public void BackprojectThenProjectWithIdentityReturnsThePixelGrid()
    {
        using var scope = NewDisposeScope();
        var depth = rand(2, 1, H, W) * 10 + 0.5;
        var k = Intrinsics.Kitti.ToTensor(W, H, 0, 2);
        var invK = Intrinsics.Kitti.InverseTensor(W, H, 0, 2);
        var grid = Reprojection.Project(Reprojection.Backproject(depth, invK), k, eye(4).expand(2, 4, 4), W, H);
        Assert.Equal(new long[] { 2, H, W, 2 }, grid.shape);
        var g = Values(grid);
        for (var b = 0; b < 2; b++)
        {
            for (var v = 0; v < H; v++)
            {
                for (var u = 0; u < W; u++)
                {
                    var i = ((((b * H) + v) * W) + u) * 2;
                    AssertClose((2.0 * u / (W - 1)) - 1, g[i], 1e-4, $"x at ({u},{v})");
                    AssertClose((2.0 * v / (H - 1)) - 1, g[i + 1], 1e-4, $"y at ({u},{v})");
                }
            }
        }
    }

    [Fact]
    public void BackprojectedPointHasHandComputedCoordinates()
    {
        // Pixel (u, v) = (3, 2) at depth 5: X = 5 (3 - cx) / fx, Y = 5 (2 - cy) / fy, Z = 5.
        using var scope = NewDisposeScope();
        var invK = Intrinsics.Kitti.InverseTensor(W, H, 0, 1);
        var points = Values(Reprojection.Backproject(full(1, 1, H, W, 5f), invK));
        var n = H * W;
        var i = (2 * W) + 3;
        double fx = 0.58 * W, fy = 1.92 * H, cx = 0.5 * W, cy = 0.5 * H;
        AssertClose(5 * (3 - cx) / fx, points[i], 1e-5, "X");
        AssertClose(5 * (2 - cy) / fy, points[n + i], 1e-5, "Y");
        AssertClose(5, points[(2 * n) + i], 1e-5, "Z");
        AssertClose(1, points[(3 * n) + i], 0, "w");
    }

    [Fact]
    public void PureSidewaysTranslationShiftsByKnownDisparity()
    {
        // Camera moved by tx along x at constant depth d: target pixel u samples the source at u + fx tx / d.
        // With fx = 0.58 W = 11.6, d = 2.9 and tx = 0.5 the shift is exactly 2 pixels.
        using var scope = NewDisposeScope();
        const double d = 2.9;
        const double tx = 0.5;
        var shift = 0.58 * W * tx / d;
        AssertClose(2.0, shift, 1e-12);
        var source = rand(1, 3, H, W);
        var k = Intrinsics.Kitti.ToTensor(W, H, 0, 1);
        var invK = Intrinsics.Kitti.InverseTensor(W, H, 0, 1);
        var t = eye(4).unsqueeze(0).clone();
        t[0, 0, 3] = tensor((float)tx);
        var points = Reprojection.Backproject(full(1, 1, H, W, (float)d), invK);
        var warped = Reprojection.Warp(source, Reprojection.Project(points, k, t, W, H));
        var expected = source[.., .., .., 2..];
        var actual = warped[.., .., .., ..(W - 2)];
        Assert.True(allclose(actual, expected, rtol: 0, atol: 1e-5), $"max diff {Scalar((actual - expected).abs().max())}");
        // Beyond the right border, border padding repeats the last column.
        var lastColumn = source[.., .., .., (W - 1)..];
        Assert.True(allclose(warped[.., .., .., (W - 2)..], lastColumn.expand(1, 3, H, 2), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void HalfPixelShiftInterpolatesBilinearly()
    {
        // fx tx / d = 0.5 pixel: each warped value is the mean of two neighbours.
        using var scope = NewDisposeScope();
        var source = rand(1, 1, H, W);
        var k = Intrinsics.Kitti.ToTensor(W, H, 0, 1);
        var invK = Intrinsics.Kitti.InverseTensor(W, H, 0, 1);
        var t = eye(4).unsqueeze(0).clone();
        t[0, 0, 3] = tensor(0.125f);
        var depth = (float)(0.58 * W * 0.125 / 0.5);
        var warped = Reprojection.Warp(source, Reprojection.Project(Reprojection.Backproject(full(1, 1, H, W, depth), invK), k, t, W, H));
        var expected = (source[.., .., .., ..(W - 1)] + source[.., .., .., 1..]) / 2;
        Assert.True(allclose(warped[.., .., .., ..(W - 1)], expected, rtol: 0, atol: 1e-5));
    }
}
