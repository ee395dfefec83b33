using Monodepth2.Data.Synthetic;

namespace Monodepth2.Tests.Data.Synthetic;

/// <summary>
/// What Monodepth2 trains on, computed independently of the library: frame i+1 sampled (bilinearly) where frame i's
/// pixels land given frame i's true depth and the true poses, compared with frame i; and, for contrast, frame i+1 not
/// warped at all. Mean absolute colour errors per pixel class.
/// </summary>
internal static class TrueWarp
{
    /// <summary>Errors of the pixels of frame <paramref name="i"/> that <paramref name="include"/> accepts (by surface kind).</summary>
    public static (double Warped, double Still, int Count) Errors(SyntheticWorld world, int i, Func<SurfaceKind, bool> include)
    {
        var o = world.Options;
        double fx = o.Intrinsics.Fx * o.Width, fy = o.Intrinsics.Fy * o.Height, cx = o.Intrinsics.Cx * o.Width, cy = o.Intrinsics.Cy * o.Height;
        var target = world.RenderFrame(i);
        var source = world.RenderFrame(i + 1).Image.Data;
        var a = world.CameraToWorld(i);
        var b = world.CameraToWorld(i + 1);
        var plane = o.Width * o.Height;
        double warped = 0, still = 0;
        var count = 0;
        for (var v = 0; v < o.Height; v++)
        {
            for (var u = 0; u < o.Width; u++)
            {
                var d = (double)target.Depth[(v * o.Width) + u];
                if (d <= 0 || !include(target.Surface[(v * o.Width) + u]))
                {
                    continue;
                }

                // World point of pixel (u, v), then into camera i+1: p1 = R1^T (p - t1).
                double xc = (u - cx) / fx * d, yc = (v - cy) / fy * d;
                var wx = (a[0, 0] * xc) + (a[0, 1] * yc) + (a[0, 2] * d) + a[0, 3] - b[0, 3];
                var wy = (a[1, 0] * xc) + (a[1, 1] * yc) + (a[1, 2] * d) + a[1, 3] - b[1, 3];
                var wz = (a[2, 0] * xc) + (a[2, 1] * yc) + (a[2, 2] * d) + a[2, 3] - b[2, 3];
                var x1 = (b[0, 0] * wx) + (b[1, 0] * wy) + (b[2, 0] * wz);
                var y1 = (b[0, 1] * wx) + (b[1, 1] * wy) + (b[2, 1] * wz);
                var z1 = (b[0, 2] * wx) + (b[1, 2] * wy) + (b[2, 2] * wz);
                var uf = (fx * x1 / z1) + cx;
                var vf = (fy * y1 / z1) + cy;
                if (z1 <= 0 || uf < 0 || vf < 0 || uf > o.Width - 1 || vf > o.Height - 1)
                {
                    continue;
                }

                var u0 = Math.Min((int)uf, o.Width - 2);
                var v0 = Math.Min((int)vf, o.Height - 2);
                double au = uf - u0, av = vf - v0;
                for (var c = 0; c < 3; c++)
                {
                    var k = (c * plane) + (v0 * o.Width) + u0;
                    var sample = ((1 - av) * (((1 - au) * source[k]) + (au * source[k + 1]))) + (av * (((1 - au) * source[k + o.Width]) + (au * source[k + o.Width + 1])));
                    var t = target.Image.Data[(c * plane) + (v * o.Width) + u];
                    warped += Math.Abs(sample - t);
                    still += Math.Abs(source[(c * plane) + (v * o.Width) + u] - t);
                }

                count++;
            }
        }

        return count == 0 ? (0, 0, 0) : (warped / (3 * count), still / (3 * count), count);
    }
}
