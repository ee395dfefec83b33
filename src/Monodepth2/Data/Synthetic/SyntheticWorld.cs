using Monodepth2.Imaging;

namespace Monodepth2.Data.Synthetic;

/// <summary>
/// One synthetic street (a sequence) and the camera driving down it, rendered by analytic ray casting with exact depth.
/// <para>
/// Frames: the street frame is the first left camera's frame (x right, y down, z forward, as KITTI / OpenCV), so the
/// first pose is the identity; the flat road is the plane y = <see cref="SyntheticWorldOptions.CameraHeight"/>. The
/// camera drives at its cruise <see cref="Speed"/> along a heading that weaves by a few degrees, staying within about
/// a metre of its lane centre; the camera stays at its height and never rolls. The harder-street switches of
/// <see cref="SyntheticWorldOptions"/> add a varying speed with stops, sideways sway with yaw and pitch wobbles, per-street
/// light, plain asphalt and cars moving at their own speed; poses and ground truth stay exact.
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
    private readonly CameraPath path;
    private readonly MovingCar[] cars;
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
        path = new CameraPath(options, rng, seed, Speed);
        var n = options.FramesPerSequence;

        // Light per street from its own stream, so the switch leaves every other draw alone.
        var light = new SplitMix(((ulong)seed << 16) ^ 0x5EED_119B_0004ul);
        var (ambient, diffuse) = options.VaryingLight ? (light.Uniform(0.3, 0.65), light.Uniform(0.35, 0.9)) : (0.62, 0.5);
        Exposure = options.VaryingLight ? light.Uniform(0.6, 1.5) : 1.0;
        layout = new StreetLayout(seed, options.CameraHeight, path.Z(n - 1) + 10)
        {
            Ambient = ambient,
            Diffuse = diffuse,
            PlainAsphalt = options.PlainAsphalt,
        };
        cars = MovingCar.Place(layout, new SplitMix(((ulong)seed << 16) ^ 0x5EED_CA75_0003ul), options.MovingCars, Speed, n);
        fx = options.Intrinsics.Fx * options.Width;
        fy = options.Intrinsics.Fy * options.Height;
        cx = options.Intrinsics.Cx * options.Width;
        cy = options.Intrinsics.Cy * options.Height;
    }

    /// <summary>The data-set options this street was made from.</summary>
    public SyntheticWorldOptions Options { get; }

    /// <summary>The 0-based sequence index.</summary>
    public int Sequence { get; }

    /// <summary>
    /// Cruise speed of this sequence in metres per frame: without <see cref="SyntheticWorldOptions.VaryingSpeed"/> and
    /// <see cref="SyntheticWorldOptions.CameraSway"/> the length of every frame-to-frame translation.
    /// </summary>
    public double Speed { get; }

    /// <summary>The exposure gain of this street's frames (1 unless <see cref="SyntheticWorldOptions.VaryingLight"/>): colours are scaled by it, then clipped to [0, 1].</summary>
    public double Exposure { get; }

    /// <summary>Number of moving cars.</summary>
    public int MovingCarCount => cars.Length;

    /// <summary>Number of static scene boxes: object ids at or past it are moving cars, 2k for car k's body and 2k + 1 for its cabin.</summary>
    public int StaticBoxCount => layout.Boxes.Count;

    /// <summary>Number of frames.</summary>
    public int FrameCount => Options.FramesPerSequence;

    /// <summary>Rendered width in pixels.</summary>
    public int Width => Options.Width;

    /// <summary>Rendered height in pixels.</summary>
    public int Height => Options.Height;

    /// <summary>The camera's instantaneous speed at frame <paramref name="frame"/> in metres per frame (what a speedometer reads; 0 when stopped).</summary>
    public double SpeedAt(int frame)
    {
        CheckFrame(frame);
        return path.Speed(frame);
    }

    /// <summary>
    /// The 4x4 camera-to-world pose of frame <paramref name="frame"/> (row major; world = first left camera), for the
    /// left camera or, with <paramref name="rightCamera"/>, the right one: R = R_y(yaw) R_x(pitch).
    /// </summary>
    public double[,] CameraToWorld(int frame, bool rightCamera = false)
    {
        CheckFrame(frame);
        var c = Math.Cos(path.Yaw(frame));
        var s = Math.Sin(path.Yaw(frame));
        var cp = Math.Cos(path.Pitch(frame));
        var sp = Math.Sin(path.Pitch(frame));
        var b = rightCamera ? Options.Baseline : 0;

        // R_y(yaw) = [c 0 s; 0 1 0; -s 0 c], R_x(pitch) = [1 0 0; 0 cp -sp; 0 sp cp]; the right camera sits b along the
        // first column (the camera's x axis).
        return new double[,]
        {
            { c, s * sp, s * cp, path.X(frame) + (c * b) },
            { 0, cp, -sp, 0 },
            { -s, c * sp, c * cp, path.Z(frame) - (s * b) },
            { 0, 0, 0, 1 },
        };
    }

    /// <summary>
    /// Where moving car <paramref name="car"/> is at frame <paramref name="frame"/>: its body box (min and max corners in
    /// the street frame) and velocity along z in metres per frame.
    /// </summary>
    public (double[] Min, double[] Max, double Velocity) MovingCarAt(int car, int frame)
    {
        CheckFrame(frame);
        ArgumentOutOfRangeException.ThrowIfNegative(car);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(car, cars.Length);
        var body = cars[car].Body;
        var dz = cars[car].ShiftAt(frame);
        return ([body.MinX, body.MinY, body.MinZ + dz], [body.MaxX, body.MaxY, body.MaxZ + dz], cars[car].Velocity);
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
        var view = new View(CameraToWorld(frame, rightCamera), cars.Select(car => car.ShiftAt(frame)).ToArray());
        if (parallel)
        {
            Parallel.For(0, h, v => RenderRow(v, view, image.Data, depth, surface, faces, ids));
        }
        else
        {
            for (var v = 0; v < h; v++)
            {
                RenderRow(v, view, image.Data, depth, surface, faces, ids);
            }
        }

        return new SyntheticFrame(image, depth, surface, faces, ids);
    }

    private void RenderRow(int v, View view, float[] rgb, float[] depth, SurfaceKind[] surface, BoxFace[] faces, int[] ids)
    {
        var w = Width;
        var plane = w * Height;
        var n = Options.Supersampling;
        var pixelAngle = 1 / Math.Min(fx, fy);
        var subAngle = pixelAngle / n;
        var statics = layout.Boxes.Count;
        for (var u = 0; u < w; u++)
        {
            // The pixel centre's ray gives the ground truth; with supersampling the colour averages n x n sub-pixel rays.
            var i = (v * w) + u;
            var t = Cast(u, v, view, pixelAngle, out var box, out var face, out var r, out var g, out var b);
            depth[i] = box == -2 ? 0 : (float)t;
            surface[i] = box switch
            {
                -2 => SurfaceKind.Sky,
                -1 => SurfaceKind.Ground,
                _ when box >= statics => SurfaceKind.MovingCar,
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
                        Cast(su, sv, view, subAngle, out _, out _, out var sr, out var sg, out var sb);
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

            rgb[i] = (float)Math.Clamp(r * Exposure, 0, 1);
            rgb[plane + i] = (float)Math.Clamp(g * Exposure, 0, 1);
            rgb[(2 * plane) + i] = (float)Math.Clamp(b * Exposure, 0, 1);
        }
    }

    /// <summary>
    /// Casts the ray through pixel (u, v) and shades its hit; returns the z-depth (infinity for sky). Box ids at or past
    /// the static boxes' count are moving cars: 2k for car k's body, 2k + 1 for its cabin.
    /// </summary>
    private double Cast(
        double u, double v, View view, double pixelAngle, out int box, out BoxFace face, out double r, out double g, out double b)
    {
        var dcx = (u - cx) / fx;
        var dcy = (v - cy) / fy;

        // World direction R [dcx dcy 1]^T: its camera z component is 1, so t is the z-depth.
        var m = view.Pose;
        var dx = (m[0, 0] * dcx) + (m[0, 1] * dcy) + m[0, 2];
        var dy = (m[1, 0] * dcx) + (m[1, 1] * dcy) + m[1, 2];
        var dz = (m[2, 0] * dcx) + (m[2, 1] * dcy) + m[2, 2];
        double ox = m[0, 3], oy = m[1, 3], oz = m[2, 3];
        var t = layout.Trace(ox, oy, oz, dx, dy, dz, out box, out face);
        var shift = 0.0;
        if (cars.Length > 0)
        {
            // Moving cars: their frame-0 boxes against the ray moved back by each car's travel.
            var idx = 1 / StreetLayout.AwayFromZero(dx);
            var idy = 1 / StreetLayout.AwayFromZero(dy);
            var idz = 1 / StreetLayout.AwayFromZero(dz);
            for (var k = 0; k < cars.Length; k++)
            {
                var oz0 = oz - view.Shifts[k];
                var body = StreetLayout.Intersect(cars[k].Body, ox, oy, oz0, idx, idy, idz, out var bodyFace);
                var cabin = StreetLayout.Intersect(cars[k].Cabin, ox, oy, oz0, idx, idy, idz, out var cabinFace);
                if (Math.Min(body, cabin) < t)
                {
                    (t, box, face) = body <= cabin ? (body, layout.Boxes.Count + (2 * k), bodyFace) : (cabin, layout.Boxes.Count + (2 * k) + 1, cabinFace);
                    shift = view.Shifts[k];
                }
            }
        }

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
            (r, g, b) = StreetShader.Box(layout, BoxOf(box), face, px, py, pz - shift, foot / Math.Max(cos, 0.01), foot);
        }

        return t;
    }

    /// <summary>A static box, or a moving car's body or cabin where it is at frame 0.</summary>
    private SceneBox BoxOf(int id)
    {
        var k = id - layout.Boxes.Count;
        return k < 0 ? layout.Box(id) : (k % 2 == 0 ? cars[k / 2].Body : cars[k / 2].Cabin);
    }

    private void CheckFrame(int frame)
    {
        if (frame < 0 || frame >= FrameCount)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), frame, $"Frame must be in [0, {FrameCount}).");
        }
    }

    /// <summary>One rendered view: the camera-to-world pose and how far each moving car has driven since frame 0.</summary>
    private sealed record View(double[,] Pose, double[] Shifts);
}
