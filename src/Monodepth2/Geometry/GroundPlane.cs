using System.Globalization;

namespace Monodepth2.Geometry;

/// <summary>
/// Metric scale from the camera's height above a flat road. The pixels of the lower image (rows at least
/// <see cref="GroundPlaneOptions.HorizonMargin"/> x H below the principal point, whole width) are back-projected with the
/// intrinsics (camera frame: x right, y down, z forward; pixel centres at integer coordinates, as <c>PointCloud</c>); a
/// plane is found by RANSAC (seeded: three random points, normal within
/// <see cref="GroundPlaneOptions.MaxTiltDegrees"/> of +y, below the camera, scored by the count of points closer than
/// <see cref="GroundPlaneOptions.InlierThreshold"/> x its distance), then refined twice by least squares on its inliers
/// (y = a x + b z + c: the road is close to horizontal, so y as a function of x and z is well posed). The scale is the
/// given height over the camera centre's distance to that plane.
/// </summary>
public static class GroundPlane
{
    /// <summary>Fits the road plane in a row-major depth map and measures the scale that puts it at the camera height.</summary>
    /// <param name="depth">Depth (z) per pixel, up to an unknown scale; non-finite or non-positive values are ignored.</param>
    /// <param name="width">Map width.</param>
    /// <param name="height">Map height.</param>
    /// <param name="options">Height, intrinsics and thresholds.</param>
    /// <returns>The fit; when no acceptable plane exists, <see cref="GroundPlaneFit.Found"/> is false with the reason and the scale is 1.</returns>
    public static GroundPlaneFit Fit(ReadOnlySpan<float> depth, int width, int height, GroundPlaneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (width <= 0 || height <= 0 || depth.Length != width * height)
        {
            throw new ArgumentException($"Expected {width} x {height} = {(long)width * height} depth values, got {depth.Length}.", nameof(depth));
        }

        var c = CultureInfo.InvariantCulture;
        var points = BackProject(depth, width, height, options);
        var n = points.Length / 3;
        if (n < options.MinPoints)
        {
            return NotFound(options, n, string.Create(c, $"only {n} valid depth values in the lower image (need {options.MinPoints})"));
        }

        if (Ransac(points, options) is not { } candidate)
        {
            return NotFound(options, n, string.Create(c, $"no plane through three points of the lower image lies within {options.MaxTiltDegrees:0.#} deg of the camera's down axis, below the camera"));
        }

        var plane = candidate;
        for (var round = 0; round < 2; round++)
        {
            if (Refine(points, plane, options.InlierThreshold) is not { } refined)
            {
                break;
            }

            plane = refined;
        }

        var (inliers, sumSq) = Inliers(points, plane, options.InlierThreshold);
        var share = (double)inliers / n;
        var rms = inliers > 0 ? Math.Sqrt(sumSq / inliers) / plane.D : double.NaN;
        var tilt = Math.Acos(Math.Clamp(plane.Ny, -1, 1)) * 180 / Math.PI;
        string? reason = null;
        if (!(plane.D > 0))
        {
            reason = "the fitted plane does not lie below the camera";
        }
        else if (tilt > options.MaxTiltDegrees)
        {
            reason = string.Create(c, $"the fitted plane's normal is {tilt:0.0} deg from the camera's down axis (at most {options.MaxTiltDegrees:0.#})");
        }
        else if (share < options.MinInlierShare)
        {
            reason = string.Create(c, $"only {share * 100:0.#}% of {n} points lie on the best plane (need {options.MinInlierShare * 100:0.#}%)");
        }

        return reason is null
            ? new GroundPlaneFit(true, null, options.CameraHeight, n, share, rms, tilt, plane.D, options.CameraHeight / plane.D)
            : new GroundPlaneFit(false, reason, options.CameraHeight, n, share, rms, tilt, plane.D, 1.0);
    }

    private static GroundPlaneFit NotFound(GroundPlaneOptions options, int points, string reason) =>
        new(false, reason, options.CameraHeight, points, double.NaN, double.NaN, double.NaN, double.NaN, 1.0);

    /// <summary>x, y, z of every valid pixel of the region, flattened.</summary>
    private static double[] BackProject(ReadOnlySpan<float> depth, int width, int height, GroundPlaneOptions options)
    {
        var k = options.Intrinsics.Matrix(width, height);
        double fx = k[0, 0], fy = k[1, 1], cx = k[0, 2], cy = k[1, 2];
        var firstRow = Math.Max(0, (int)Math.Ceiling(cy + (options.HorizonMargin * height)));
        var points = new List<double>(Math.Max(0, height - firstRow) * width * 3);
        for (var v = firstRow; v < height; v++)
        {
            for (var u = 0; u < width; u++)
            {
                double d = depth[(v * width) + u];
                if (!double.IsFinite(d) || d <= 0)
                {
                    continue;
                }

                points.Add(d * (u - cx) / fx);
                points.Add(d * (v - cy) / fy);
                points.Add(d);
            }
        }

        return points.ToArray();
    }

    private static Plane? Ransac(double[] points, GroundPlaneOptions options)
    {
        var n = points.Length / 3;
        var stride = Math.Max(1, (int)Math.Ceiling((double)n / options.MaxRansacPoints));
        var sample = new List<int>();
        for (var i = 0; i < n; i += stride)
        {
            sample.Add(i);
        }

        var rng = new Random(options.Seed);
        var minNy = Math.Cos(options.MaxTiltDegrees * Math.PI / 180);
        Plane? best = null;
        var bestCount = -1;
        for (var it = 0; it < options.Iterations; it++)
        {
            int a = rng.Next(n), b = rng.Next(n), c = rng.Next(n);
            if (a == b || b == c || a == c)
            {
                continue;
            }

            if (Through(points, a, b, c) is not { } plane || plane.Ny < minNy || !(plane.D > 0))
            {
                continue;
            }

            var count = 0;
            var limit = options.InlierThreshold * plane.D;
            foreach (var i in sample)
            {
                if (Math.Abs(plane.Distance(points, i)) < limit)
                {
                    count++;
                }
            }

            if (count > bestCount)
            {
                (best, bestCount) = (plane, count);
            }
        }

        return best;
    }

    /// <summary>The plane through three points, normal oriented towards +y; null when they are (nearly) collinear.</summary>
    private static Plane? Through(double[] p, int a, int b, int c)
    {
        double ux = p[3 * b] - p[3 * a], uy = p[(3 * b) + 1] - p[(3 * a) + 1], uz = p[(3 * b) + 2] - p[(3 * a) + 2];
        double vx = p[3 * c] - p[3 * a], vy = p[(3 * c) + 1] - p[(3 * a) + 1], vz = p[(3 * c) + 2] - p[(3 * a) + 2];
        double nx = (uy * vz) - (uz * vy), ny = (uz * vx) - (ux * vz), nz = (ux * vy) - (uy * vx);
        var norm = Math.Sqrt((nx * nx) + (ny * ny) + (nz * nz));
        var scale = Math.Sqrt(((ux * ux) + (uy * uy) + (uz * uz)) * ((vx * vx) + (vy * vy) + (vz * vz)));
        if (!(norm > 1e-9 * scale))
        {
            return null;
        }

        var sign = ny < 0 ? -1.0 : 1.0;
        (nx, ny, nz) = (sign * nx / norm, sign * ny / norm, sign * nz / norm);
        return new Plane(nx, ny, nz, (nx * p[3 * a]) + (ny * p[(3 * a) + 1]) + (nz * p[(3 * a) + 2]));
    }

    /// <summary>Least squares y = a x + b z + c over the inliers of <paramref name="plane"/>; null when degenerate.</summary>
    private static Plane? Refine(double[] p, Plane plane, double threshold)
    {
        var limit = threshold * plane.D;
        double sx = 0, sy = 0, sz = 0;
        var count = 0;
        for (var i = 0; i < p.Length / 3; i++)
        {
            if (Math.Abs(plane.Distance(p, i)) < limit)
            {
                sx += p[3 * i];
                sy += p[(3 * i) + 1];
                sz += p[(3 * i) + 2];
                count++;
            }
        }

        if (count < 3)
        {
            return null;
        }

        double mx = sx / count, my = sy / count, mz = sz / count;
        double xx = 0, xz = 0, zz = 0, xy = 0, zy = 0;
        for (var i = 0; i < p.Length / 3; i++)
        {
            if (Math.Abs(plane.Distance(p, i)) < limit)
            {
                double x = p[3 * i] - mx, y = p[(3 * i) + 1] - my, z = p[(3 * i) + 2] - mz;
                xx += x * x;
                xz += x * z;
                zz += z * z;
                xy += x * y;
                zy += z * y;
            }
        }

        var det = (xx * zz) - (xz * xz);
        if (!(Math.Abs(det) > 1e-12 * ((xx * zz) + 1e-300)))
        {
            return null;
        }

        var a = ((xy * zz) - (zy * xz)) / det;
        var b = ((zy * xx) - (xy * xz)) / det;
        var c = my - (a * mx) - (b * mz);

        // a x - y + b z + c = 0, normal (-a, 1, -b) / L towards +y: n . X = c / L.
        var length = Math.Sqrt((a * a) + 1 + (b * b));
        return new Plane(-a / length, 1 / length, -b / length, c / length);
    }

    private static (int Count, double SumSquares) Inliers(double[] p, Plane plane, double threshold)
    {
        var limit = threshold * plane.D;
        var count = 0;
        var sum = 0.0;
        for (var i = 0; i < p.Length / 3; i++)
        {
            var r = plane.Distance(p, i);
            if (Math.Abs(r) < limit)
            {
                count++;
                sum += r * r;
            }
        }

        return (count, sum);
    }

    /// <summary>n . X = D with unit normal n.</summary>
    private readonly record struct Plane(double Nx, double Ny, double Nz, double D)
    {
        public double Distance(double[] p, int i) => (Nx * p[3 * i]) + (Ny * p[(3 * i) + 1]) + (Nz * p[(3 * i) + 2]) - D;
    }
}
