using Monodepth2.Imaging;

namespace Monodepth2.Data.Synthetic;

/// <summary>
/// One synthetic street (a sequence) and the camera driving down it, rendered by analytic ray casting with exact depth.
/// <para>
/// Frames: the street frame is the first left camera's frame (x right, y down, z forward, as KITTI / OpenCV), so the
/// first pose is the identity; the flat road is the plane y = <see cref="SyntheticWorldOptions.CameraHeight"/>. The
/// camera moves a constant <see cref="Speed"/> metres per frame along its heading, which weaves by a few degrees
/// (smooth yaw only: no pitch or roll), staying within about a metre of its lane centre.
/// </para>
/// <para>
/// Pixels: centres at integer (u, v), ray K^-1 [u v 1]^T with K from the normalised intrinsics at the rendered size,
/// as in <c>Geometry.Reprojection</c>. Depth is the z-depth (along the optical axis) in metres; sky has depth 0,
/// meaning "no measurement", as in KITTI ground truth. The right stereo camera is the left one moved
/// <see cref="SyntheticWorldOptions.Baseline"/> along its own x axis, with the same orientation and intrinsics.
/// </para>
/// </summary>
public sealed class SyntheticWorld
{
    private readonly StreetLayout layout;
    private readonly double[] posX;
    private readonly double[] posZ;
    private readonly double[] yaw;
    private readonly double fx;
    private readonly double fy;
    private readonly double cx;
    private readonly double cy;

    /// <summary>Creates sequence <paramref name="sequence"/> (0-based) of the data set described by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options, or a sequence index outside [0, Sequences).</exception>
    public SyntheticWorld(SyntheticWorldOptions options, int sequence = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (sequence < 0 || sequence >= options.Sequences)
        {
            throw new ArgumentException($"Sequence {sequence} is outside [0, {options.Sequences}).", nameof(sequence));
        }

        Options = options;
        Sequence = sequence;
        var seed = ProceduralNoise.Mix((uint)options.Seed, (uint)sequence + 1);
        var rng = new SplitMix(((ulong)seed << 16) ^ 0x5EED_0F_CA4E7Aul);
        Speed = rng.Uniform(options.MinSpeed, options.MaxSpeed);

        // Heading: two sines through zero at frame 0, so the mean heading is straight down the street and the lateral
        // offset x(t) = sum s A P / (2 pi) (1 - cos(2 pi t / P)) stays bounded; amplitudes are capped to keep it within
        // 0.9 m of the lane centre.
        var a1 = rng.Uniform(1.0, 3.0) * Math.PI / 180 * (rng.Chance(0.5) ? 1 : -1);
        var p1 = rng.Uniform(50, 150);
        var a2 = rng.Uniform(0.3, 1.0) * Math.PI / 180 * (rng.Chance(0.5) ? 1 : -1);
        var p2 = rng.Uniform(12, 30);
        var lateral = 2 * Speed * ((Math.Abs(a1) * p1) + (Math.Abs(a2) * p2)) / (2 * Math.PI);
        var cap = Math.Min(1.0, 0.9 / lateral);
        a1 *= cap;
        a2 *= cap;
        double Heading(double t) => (a1 * Math.Sin(2 * Math.PI * t / p1)) + (a2 * Math.Sin(2 * Math.PI * t / p2));

        var n = options.FramesPerSequence;
        posX = new double[n];
        posZ = new double[n];
        yaw = new double[n];
        for (var i = 0; i < n; i++)
        {
            yaw[i] = Heading(i);
            if (i > 0)
            {
                var mid = Heading(i - 0.5);
                posX[i] = posX[i - 1] + (Speed * Math.Sin(mid));
                posZ[i] = posZ[i - 1] + (Speed * Math.Cos(mid));
            }
        }

        layout = new StreetLayout(seed, options.CameraHeight, posZ[n - 1] + 10);
        fx = options.Intrinsics.Fx * options.Width;
        fy = options.Intrinsics.Fy * options.Height;
        cx = options.Intrinsics.Cx * options.Width;
        cy = options.Intrinsics.Cy * options.Height;
    }

    /// <summary>The data-set options this street was made from.</summary>
    public SyntheticWorldOptions Options { get; }

    /// <summary>The 0-based sequence index.</summary>
    public int Sequence { get; }

    /// <summary>Camera speed of this sequence in metres per frame (the length of every frame-to-frame translation).</summary>
    public double Speed { get; }

    /// <summary>Number of frames.</summary>
    public int FrameCount => Options.FramesPerSequence;

    /// <summary>Rendered width in pixels.</summary>
    public int Width => Options.Width;

    /// <summary>Rendered height in pixels.</summary>
    public int Height => Options.Height;

    /// <summary>
    /// The 4x4 camera-to-world pose of frame <paramref name="frame"/> (row major; world = first left camera), for the
    /// left camera or, with <paramref name="rightCamera"/>, the right one.
    /// </summary>
    public double[,] CameraToWorld(int frame, bool rightCamera = false)
    {
        CheckFrame(frame);
        var c = Math.Cos(yaw[frame]);
        var s = Math.Sin(yaw[frame]);
        var b = rightCamera ? Options.Baseline : 0;
        return new double[,]
        {
            { c, 0, s, posX[frame] + (c * b) },
            { 0, 1, 0, 0 },
            { -s, 0, c, posZ[frame] - (s * b) },
            { 0, 0, 0, 1 },
        };
    }

    /// <summary>Renders frame <paramref name="frame"/>: the image and its z-depth in metres ([H, W], 0 = sky).</summary>
    public (RgbImage Image, float[] Depth) Render(int frame, bool rightCamera = false)
    {
        var f = RenderFrame(frame, rightCamera);
        return (f.Image, f.Depth);
    }

    /// <summary>Renders frame <paramref name="frame"/> with every ground-truth layer (depth, surface kind, face, object).</summary>
    public SyntheticFrame RenderFrame(int frame, bool rightCamera = false) => RenderFrame(frame, rightCamera, parallel: true);

    internal SyntheticFrame RenderFrame(int frame, bool rightCamera, bool parallel)
    {
        CheckFrame(frame);
        var w = Width;
        var h = Height;
        var image = new RgbImage(w, h);
        var depth = new float[w * h];
        var surface = new SurfaceKind[w * h];
        var faces = new BoxFace[w * h];
        var ids = new int[w * h];
        var pose = CameraToWorld(frame, rightCamera);
        if (parallel)
        {
            Parallel.For(0, h, v => RenderRow(v, pose, image.Data, depth, surface, faces, ids));
        }
        else
        {
            for (var v = 0; v < h; v++)
            {
                RenderRow(v, pose, image.Data, depth, surface, faces, ids);
            }
        }

        return new SyntheticFrame(image, depth, surface, faces, ids);
    }

    private void RenderRow(int v, double[,] pose, float[] rgb, float[] depth, SurfaceKind[] surface, BoxFace[] faces, int[] ids)
    {
        var w = Width;
        var plane = w * Height;
        var ox = pose[0, 3];
        var oy = pose[1, 3];
        var oz = pose[2, 3];
        var c = pose[0, 0];
        var s = pose[0, 2];
        var n = Options.Supersampling;
        var pixelAngle = 1 / Math.Min(fx, fy);
        var subAngle = pixelAngle / n;
        for (var u = 0; u < w; u++)
        {
            // The pixel centre's ray gives the ground truth; with supersampling the colour averages n x n sub-pixel rays.
            var i = (v * w) + u;
            var t = Cast(u, v, ox, oy, oz, c, s, pixelAngle, out var box, out var face, out var r, out var g, out var b);
            depth[i] = box == -2 ? 0 : (float)t;
            surface[i] = box switch
            {
                -2 => SurfaceKind.Sky,
                -1 => SurfaceKind.Ground,
                _ => layout.Box(box).Kind,
            };
            faces[i] = face;
            ids[i] = box;
            if (n > 1)
            {
                r = g = b = 0;
                for (var sy = 0; sy < n; sy++)
                {
                    for (var sx = 0; sx < n; sx++)
                    {
                        var su = u + ((sx + 0.5) / n) - 0.5;
                        var sv = v + ((sy + 0.5) / n) - 0.5;
                        Cast(su, sv, ox, oy, oz, c, s, subAngle, out _, out _, out var sr, out var sg, out var sb);
                        r += sr;
                        g += sg;
                        b += sb;
                    }
                }

                var inv = 1.0 / (n * n);
                r *= inv;
                g *= inv;
                b *= inv;
            }

            rgb[i] = (float)Math.Clamp(r, 0, 1);
            rgb[plane + i] = (float)Math.Clamp(g, 0, 1);
            rgb[(2 * plane) + i] = (float)Math.Clamp(b, 0, 1);
        }
    }

    /// <summary>Casts the ray through pixel (u, v) and shades its hit; returns the z-depth (infinity for sky).</summary>
    private double Cast(
        double u, double v, double ox, double oy, double oz, double c, double s, double pixelAngle,
        out int box, out BoxFace face, out double r, out double g, out double b)
    {
        var dcx = (u - cx) / fx;
        var dcy = (v - cy) / fy;

        // World direction R [dcx dcy 1]^T (yaw about y): its camera z component is 1, so t is the z-depth.
        var dx = (c * dcx) + s;
        var dy = dcy;
        var dz = (-s * dcx) + c;
        var t = layout.Trace(ox, oy, oz, dx, dy, dz, out box, out face);
        if (box == -2)
        {
            (r, g, b) = StreetShader.Sky(layout, dx, dy, dz, pixelAngle);
            return t;
        }

        var px = ox + (t * dx);
        var py = oy + (t * dy);
        var pz = oz + (t * dz);
        var len = Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
        var foot = t * pixelAngle;
        if (box == -1)
        {
            var cos = Math.Abs(dy) / len;
            (r, g, b) = StreetShader.Ground(layout, px, pz, foot, foot / Math.Max(cos, 0.01));
        }
        else
        {
            var normalComponent = face switch
            {
                BoxFace.NegativeX or BoxFace.PositiveX => dx,
                BoxFace.NegativeY or BoxFace.PositiveY => dy,
                _ => dz,
            };
            var cos = Math.Abs(normalComponent) / len;
            (r, g, b) = StreetShader.Box(layout, layout.Box(box), face, px, py, pz, foot / Math.Max(cos, 0.01), foot);
        }

        return t;
    }

    private void CheckFrame(int frame)
    {
        if (frame < 0 || frame >= FrameCount)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), frame, $"Frame must be in [0, {FrameCount}).");
        }
    }
}
