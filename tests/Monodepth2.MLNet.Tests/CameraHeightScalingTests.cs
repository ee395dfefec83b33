using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.Geometry;
using Monodepth2.MLNet.Transforms;

namespace Monodepth2.MLNet.Tests;

/// <summary>
/// The library-side camera-height column over an ML.NET depth column (as a saved model scores it): a level road built
/// here by ray-plane intersection at 1/7 of its true scale comes back to metres, a wall is left unscaled and reported.
/// </summary>
public sealed class CameraHeightScalingTests
{
    private const int W = 128;
    private const int H = 64;

    private sealed class Row
    {
        [VectorType(W * H)]
        public float[] Depth { get; set; } = [];
    }

    /// <summary>z = h fy / (v - cy) below the horizon (KITTI intrinsics at W x H, pixel centres at integers), 0 above.</summary>
    private static float[] LevelRoad(double height)
    {
        double fy = 1.92 * H, cy = 0.5 * H;
        var depth = new float[W * H];
        for (var v = 0; v < H; v++)
        {
            for (var u = 0; u < W; u++)
            {
                depth[(v * W) + u] = v > cy ? (float)(height * fy / (v - cy)) : 0f;
            }
        }

        return depth;
    }

    [Fact]
    public void ScalesADepthColumnRowByRowAndReportsRowsWithoutAPlane()
    {
        var truth = LevelRoad(1.65);
        var wall = Enumerable.Repeat(3f, W * H).ToArray();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new Row { Depth = truth.Select(d => d / 7f).ToArray() }, new Row { Depth = wall }]);

        var rows = CameraHeightScaling.ScaleDepthColumn(data, nameof(Row.Depth), W, H, new GroundPlaneOptions()).ToList();

        Assert.Equal(2, rows.Count);
        Assert.True(rows[0].GroundPlane.Found, rows[0].GroundPlane.Describe());
        Assert.InRange(rows[0].GroundPlane.Scale, 7 * 0.99, 7 * 1.01);
        Assert.InRange(rows[0].Depth[^1], truth[^1] * 0.99, truth[^1] * 1.01);
        Assert.False(rows[1].GroundPlane.Found);
        Assert.Equal(wall, rows[1].Depth);

        Assert.Throws<ArgumentException>(() => CameraHeightScaling.ScaleDepthColumn(data, "Missing", W, H, new GroundPlaneOptions()));
        Assert.Throws<ArgumentException>(() => CameraHeightScaling.ScaleDepthColumn(data, nameof(Row.Depth), W, H + 1, new GroundPlaneOptions()));
    }
}
