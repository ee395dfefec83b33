using Monodepth2.Geometry;

namespace Monodepth2.Tests.Geometry;

/// <summary>
/// The road-plane fit on depth maps built here by ray-plane intersection (z = h / (n . ray) with ray = ((u - cx) / fx,
/// (v - cy) / fy, 1) and n the world's down axis in the camera frame), independent of the code under test: boxes standing
/// on the road and an invalid sky as outliers, depth noise, and a wrong global scale the fit must undo.
/// </summary>
public sealed class GroundPlaneTests
{
    private const int W = 640;
    private const int H = 192;
    private const double Height = 1.65;
    private const double WrongScale = 7.0;
    private static readonly double Fy = 1.92 * H, Cy = 0.5 * H;

    /// <summary>
    /// A road at <see cref="Height"/> seen by a camera pitched down by <paramref name="pitchDegrees"/>, with two
    /// fronto-parallel box faces (z = 4.5 m and 9 m) standing on it, sky (rays that miss the road) as 0, a few NaNs, and
    /// +-2 % uniform depth noise; all divided by <see cref="WrongScale"/>. Also returns, over the documented search region
    /// (rows at least 0.1 H below cy), the share of valid pixels on a box and the share within 5 % of the height of the
    /// true plane.
    /// </summary>
    private static (float[] Depth, double BoxShare, double ExpectedInlierShare) Road(double pitchDegrees)
    {
        var pitch = pitchDegrees * Math.PI / 180;
        double ny = Math.Cos(pitch), nz = Math.Sin(pitch);
        var rng = new Random(11);
        var depth = new float[W * H];
        var firstRow = (int)Math.Ceiling(Cy + (0.1 * H));
        int valid = 0, box = 0, near = 0;
        for (var v = 0; v < H; v++)
        {
            for (var u = 0; u < W; u++)
            {
                var y = (v - Cy) / Fy;
                var towardsRoad = (ny * y) + nz;
                var z = towardsRoad > 0 ? Height / towardsRoad : double.PositiveInfinity;
                var onBox = false;
                foreach (var (z0, left, right) in new[] { (4.5, 0.2, 0.4), (9.0, 0.6, 0.72) })
                {
                    if (u >= left * W && u < right * W && z > z0)
                    {
                        (z, onBox) = (z0, true);
                    }
                }

                if (double.IsInfinity(z) || (u * 7 + v * 13) % 97 == 0)
                {
                    depth[(v * W) + u] = v % 2 == 0 ? 0 : float.NaN;
                    continue;
                }

                if (v >= firstRow)
                {
                    valid++;
                    box += onBox ? 1 : 0;

                    // Distance of the noise-free point to the true plane n . X = h.
                    near += Math.Abs((z * ((ny * y) + nz)) - Height) < 0.05 * Height ? 1 : 0;
                }

                var noise = 1 + (0.04 * (rng.NextDouble() - 0.5));
                depth[(v * W) + u] = (float)(z * noise / WrongScale);
            }
        }

        return (depth, (double)box / valid, (double)near / valid);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(5.0)]
    public void RecoversTheScaleOfARoadWithBoxesSkyAndNoise(double pitchDegrees)
    {
        var (depth, boxShare, expectedInliers) = Road(pitchDegrees);
        Assert.InRange(boxShare, 0.2, 0.3);

        var fit = GroundPlane.Fit(depth, W, H, new GroundPlaneOptions { CameraHeight = Height });

        Assert.True(fit.Found, fit.Describe());
        Assert.Null(fit.Reason);
        Assert.InRange(fit.Scale, WrongScale * 0.99, WrongScale * 1.01);
        Assert.InRange(fit.FittedHeight, Height / WrongScale * 0.99, Height / WrongScale * 1.01);
        Assert.InRange(fit.TiltDegrees, pitchDegrees - 0.5, pitchDegrees + 0.5);
        Assert.InRange(fit.InlierShare, expectedInliers - 0.02, expectedInliers + 0.02);

        // +-2 % uniform depth noise moves a road point by up to 2 % of the height: rms 0.02 / sqrt(3) = 1.15 %.
        Assert.InRange(fit.RelativeRms, 0.008, 0.016);
        Assert.Equal(depth[^1] * fit.Scale, fit.Apply(depth)[^1], 4);
        Assert.Equal(fit, GroundPlane.Fit(depth, W, H, new GroundPlaneOptions { CameraHeight = Height }));
    }

    [Fact]
    public void TheScaleFollowsTheGivenHeightAndIntrinsics()
    {
        // The same map read as taken by a camera 3.3 m high needs twice the scale.
        var (depth, _, _) = Road(0);
        var fit = GroundPlane.Fit(depth, W, H, new GroundPlaneOptions { CameraHeight = 2 * Height });
        Assert.InRange(fit.Scale, 2 * WrongScale * 0.99, 2 * WrongScale * 1.01);

        // Read with twice the focal length fy, every y (and so the level road's height) halves: twice the scale again.
        var longFocal = GroundPlane.Fit(depth, W, H, new GroundPlaneOptions { Intrinsics = Intrinsics.Kitti with { Fy = 2 * 1.92 } });
        Assert.InRange(longFocal.Scale, 2 * WrongScale * 0.99, 2 * WrongScale * 1.01);
    }

    [Fact]
    public void AFrontoParallelWallHasNoGroundPlane()
    {
        var wall = Enumerable.Repeat(5f, W * H).ToArray();
        var fit = GroundPlane.Fit(wall, W, H, new GroundPlaneOptions());
        Assert.False(fit.Found);
        Assert.Equal(1.0, fit.Scale);
        Assert.Contains("deg", fit.Reason, StringComparison.Ordinal);
        Assert.Equal(wall, fit.Apply(wall));
        Assert.Contains("no ground plane", fit.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void ATiltedSlopeAndTooFewPointsAreRejectedWithTheReason()
    {
        // A road seen by a camera pitched down 40 deg: a real plane, but too steep to be the road under a level camera.
        var steep = new float[W * H];
        var pitch = 40 * Math.PI / 180;
        for (var v = 0; v < H; v++)
        {
            for (var u = 0; u < W; u++)
            {
                var towards = (Math.Cos(pitch) * (v - Cy) / Fy) + Math.Sin(pitch);
                steep[(v * W) + u] = towards > 0 ? (float)(Height / towards) : 0;
            }
        }

        var tilted = GroundPlane.Fit(steep, W, H, new GroundPlaneOptions());
        Assert.False(tilted.Found);
        Assert.Contains("25 deg", tilted.Reason, StringComparison.Ordinal);
        Assert.True(GroundPlane.Fit(steep, W, H, new GroundPlaneOptions { MaxTiltDegrees = 45 }).Found);

        var empty = GroundPlane.Fit(new float[W * H], W, H, new GroundPlaneOptions());
        Assert.False(empty.Found);
        Assert.Contains("only 0 valid", empty.Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => GroundPlane.Fit(new float[10], W, H, new GroundPlaneOptions()));
        Assert.Throws<ArgumentException>(() => GroundPlane.Fit(steep, W, H, new GroundPlaneOptions { CameraHeight = -1 }));
    }
}
