using Monodepth2.Geometry;
using Monodepth2.Imaging;
using Monodepth2.Inference;

namespace Monodepth2.Tests.Inference;

public sealed class PointCloudTests
{
    [Fact]
    public void BackprojectsWithHandComputedCoordinatesAndSkipsInvalidDepth()
    {
        // 4 x 2 map, KITTI intrinsics: fx = 0.58 * 4 = 2.32, fy = 1.92 * 2 = 3.84, cx = 2, cy = 1.
        float[] depth = [2, 2, 2, 2, 2, 0, float.NaN, 5];
        var colour = new RgbImage(4, 2);
        colour.SetPixel(3, 1, 1f, 0.5f, 0f);
        var points = PointCloud.Backproject(depth, 4, 2, Intrinsics.Kitti, colour);
        Assert.Equal(6, points.Count);
        var last = points[^1];
        Assert.Equal(5 * (3 - 2) / 2.32, last.X, 5);
        Assert.Equal(5 * (1 - 1) / 3.84, last.Y, 5);
        Assert.Equal(5f, last.Z);
        Assert.Equal((byte)255, last.R);
        Assert.Equal((byte)128, last.G);
        var first = points[0];
        Assert.Equal(2 * (0 - 2) / 2.32, first.X, 5);
        Assert.Equal(2 * (0 - 1) / 3.84, first.Y, 5);
    }

    [Fact]
    public void PlyHeaderCountsVertices()
    {
        var path = Path.Combine(Path.GetTempPath(), $"md2-{Guid.NewGuid():N}.ply");
        try
        {
            PointCloud.WritePly(path, [(1f, 2f, 3f, 10, 20, 30), (0.5f, -1f, 4f, 0, 0, 0)], "test");
            var lines = File.ReadAllLines(path);
            Assert.Contains("element vertex 2", lines);
            Assert.Equal("end_header", lines[10]);
            Assert.Equal("1 2 3 10 20 30", lines[11]);
            Assert.Equal(13, lines.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
