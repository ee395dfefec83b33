using System.Globalization;
using System.Text;
using Monodepth2.Geometry;
using Monodepth2.Imaging;
using Monodepth2.Weights;

namespace Monodepth2.Inference;

/// <summary>Turns a depth map into a coloured point cloud and writes it as an ASCII PLY file.</summary>
public static class PointCloud
{
    /// <summary>
    /// Back-projects every pixel with finite positive depth: X = d (u - cx) / fx, Y = d (v - cy) / fy, Z = d, with pixel
    /// centres at integer coordinates and the normalised intrinsics scaled to the map's size (camera frame: x right,
    /// y down, z forward). Returns (x, y, z, r, g, b) per point, colours from <paramref name="colour"/> when given
    /// (same size as the depth map).
    /// </summary>
    public static List<(float X, float Y, float Z, byte R, byte G, byte B)> Backproject(float[] depth, int width, int height, Intrinsics intrinsics, RgbImage? colour = null)
    {
        if (depth.Length != width * height)
        {
            throw new ArgumentException($"Expected {width * height} depth values, got {depth.Length}.", nameof(depth));
        }

        if (colour is not null && (colour.Width != width || colour.Height != height))
        {
            throw new ArgumentException($"The colour image is {colour.Width}x{colour.Height}, the depth map {width}x{height}.", nameof(colour));
        }

        var k = intrinsics.Matrix(width, height);
        double fx = k[0, 0], fy = k[1, 1], cx = k[0, 2], cy = k[1, 2];
        var points = new List<(float, float, float, byte, byte, byte)>(depth.Length);
        for (var v = 0; v < height; v++)
        {
            for (var u = 0; u < width; u++)
            {
                var d = depth[(v * width) + u];
                if (!float.IsFinite(d) || d <= 0)
                {
                    continue;
                }

                byte r = 255, g = 255, b = 255;
                if (colour is not null)
                {
                    r = RgbImage.ToByte(colour.Data[colour.IndexOf(0, v, u)]);
                    g = RgbImage.ToByte(colour.Data[colour.IndexOf(1, v, u)]);
                    b = RgbImage.ToByte(colour.Data[colour.IndexOf(2, v, u)]);
                }

                points.Add(((float)(d * (u - cx) / fx), (float)(d * (v - cy) / fy), d, r, g, b));
            }
        }

        return points;
    }

    /// <summary>Writes points as an ASCII PLY (x y z float, red green blue uchar), atomically.</summary>
    public static void WritePly(string path, IReadOnlyList<(float X, float Y, float Z, byte R, byte G, byte B)> points, string comment)
    {
        var sb = new StringBuilder();
        sb.Append("ply\nformat ascii 1.0\n");
        sb.Append("comment ").Append(comment.Replace('\n', ' ')).Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"element vertex {points.Count}\n");
        sb.Append("property float x\nproperty float y\nproperty float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n");
        foreach (var (x, y, z, r, g, b) in points)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{x:G7} {y:G7} {z:G7} {r} {g} {b}\n");
        }

        AtomicFile.WriteAllText(path, sb.ToString());
    }
}
