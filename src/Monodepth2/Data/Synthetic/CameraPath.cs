namespace Monodepth2.Data.Synthetic;

/// <summary>
/// The camera's drive down one street, frame by frame: position on the road plane, yaw and pitch, and the instantaneous
/// speed. The path weaves smoothly in yaw within about 0.9 m of the lane centre; with
/// <see cref="SyntheticWorldOptions.VaryingSpeed"/> the car speeds up, slows down and stops along it, and with
/// <see cref="SyntheticWorldOptions.CameraSway"/> the camera sways sideways and wobbles in yaw and pitch around it.
/// Everything but the speed is a function of the distance driven, so a stopped car's camera is exactly still.
/// </summary>
internal sealed class CameraPath
{
    /// <summary>Integration steps per frame when the speed or the camera shake vary within a frame.</summary>
    private const int FineSteps = 16;

    /// <summary>Frames over which the speed ramps (cosine) from one level to the next: 1.5 s at KITTI's 10 Hz, a firm but ordinary stop from 10 m/s.</summary>
    private const double RampFrames = 15;

    private readonly double[] x;
    private readonly double[] z;
    private readonly double[] yaw;
    private readonly double[] pitch;
    private readonly double[] speed;

    /// <summary>Draws the drive of one street.</summary>
    /// <param name="options">The data set's options (frames, switches).</param>
    /// <param name="rng">The street's generator, positioned after its cruise speed was drawn (the weave is drawn from it).</param>
    /// <param name="seed">The street's seed; each switch draws from its own stream of it, so switches do not change each other's draws.</param>
    /// <param name="cruise">The street's cruise speed in metres per frame.</param>
    public CameraPath(SyntheticWorldOptions options, SplitMix rng, uint seed, double cruise)
    {
        // Heading: two sines through zero at the start, so the mean heading is straight down the street and the lateral
        // offset x(s) = sum A P / (2 pi) (1 - cos(2 pi s / P)) stays bounded; amplitudes are capped to keep it within 0.9 m
        // of the lane centre. s counts the distance in cruise-frames (metres / cruise speed).
        var a1 = rng.Uniform(1.0, 3.0) * Math.PI / 180 * (rng.Chance(0.5) ? 1 : -1);
        var p1 = rng.Uniform(50, 150);
        var a2 = rng.Uniform(0.3, 1.0) * Math.PI / 180 * (rng.Chance(0.5) ? 1 : -1);
        var p2 = rng.Uniform(12, 30);
        var lateral = 2 * cruise * ((Math.Abs(a1) * p1) + (Math.Abs(a2) * p2)) / (2 * Math.PI);
        var cap = Math.Min(1.0, 0.9 / lateral);
        a1 *= cap;
        a2 *= cap;
        double Heading(double s) => (a1 * Math.Sin(2 * Math.PI * s / p1)) + (a2 * Math.Sin(2 * Math.PI * s / p2));

        var n = options.FramesPerSequence;
        x = new double[n];
        z = new double[n];
        yaw = new double[n];
        pitch = new double[n];
        speed = new double[n];
        // The plain drive (neither switch) takes one midpoint step per frame at the cruise speed; the others integrate
        // finely, since the speed and the shake vary within a frame.
        var plain = !options.VaryingSpeed && !options.CameraSway;
        var fine = plain ? 1 : FineSteps;
        var level = options.VaryingSpeed ? SpeedProfile(new SplitMix(((ulong)seed << 16) ^ 0x5EED_5BEED_0001ul), n) : _ => 1.0;
        var shake = options.CameraSway ? Shake.Draw(new SplitMix(((ulong)seed << 16) ^ 0x5EED_5A7A_0002ul)) : Shake.None;

        // Integrate on the grid: s advances by level(t) dt, the path point by cruise ds along the heading at mid-step.
        var steps = ((n - 1) * fine) + 1;
        var camX = new double[steps];
        var camZ = new double[steps];
        var s = 0.0;
        var px = 0.0;
        var pz = 0.0;
        for (var j = 0; j < steps; j++)
        {
            if (j > 0)
            {
                var ds = level((j - 0.5) / fine) / fine;
                var mid = Heading(s + (ds / 2));
                px += cruise * ds * Math.Sin(mid);
                pz += cruise * ds * Math.Cos(mid);
                s += ds;
            }

            // The camera sits the sway's offset to the right of the path (along the path's own x axis).
            var h = Heading(s);
            var offset = shake.Sway(s);
            camX[j] = px + (offset * Math.Cos(h));
            camZ[j] = pz - (offset * Math.Sin(h));
            if (j % fine == 0)
            {
                var i = j / fine;
                x[i] = camX[j];
                z[i] = camZ[j];
                yaw[i] = h + shake.Yaw(s);
                pitch[i] = shake.Pitch(s);
            }
        }

        // Instantaneous speed at each frame: the cruise speed on the plain drive, else central differences on the fine grid
        // (one-sided at the ends).
        for (var i = 0; i < n; i++)
        {
            var j0 = Math.Max(0, (i * fine) - 1);
            var j1 = Math.Min(steps - 1, (i * fine) + 1);
            speed[i] = plain ? cruise : Math.Sqrt(Math.Pow(camX[j1] - camX[j0], 2) + Math.Pow(camZ[j1] - camZ[j0], 2)) * fine / (j1 - j0);
        }
    }

    /// <summary>Camera x (right of the first camera) of frame <paramref name="frame"/>, metres.</summary>
    public double X(int frame) => x[frame];

    /// <summary>Camera z (forward of the first camera) of frame <paramref name="frame"/>, metres.</summary>
    public double Z(int frame) => z[frame];

    /// <summary>Yaw (rotation about the vertical axis, radians; positive turns towards +x) of frame <paramref name="frame"/>.</summary>
    public double Yaw(int frame) => yaw[frame];

    /// <summary>Pitch (rotation about the camera's x axis, radians; positive looks up) of frame <paramref name="frame"/>.</summary>
    public double Pitch(int frame) => pitch[frame];

    /// <summary>Instantaneous camera speed at frame <paramref name="frame"/>, metres per frame.</summary>
    public double Speed(int frame) => speed[frame];

    /// <summary>
    /// A speed level (a multiple of the cruise speed) over time: segments of steady driving at 0.4-1.3 and stops, each
    /// reached by a cosine ramp over <see cref="RampFrames"/> frames; a stop holds 0 for 6-20 frames after its ramp.
    /// </summary>
    private static Func<double, double> SpeedProfile(SplitMix rng, int frames)
    {
        var starts = new List<double>();
        var levels = new List<double>();
        var t = 0.0;
        var previousStop = true;
        while (t < frames)
        {
            starts.Add(t);
            var stop = !previousStop && rng.Chance(0.4);
            levels.Add(stop ? 0 : rng.Uniform(0.4, 1.3));
            t += stop ? RampFrames + rng.Uniform(6, 20) : rng.Uniform(20, 50);
            previousStop = stop;
        }

        return time =>
        {
            var k = starts.Count - 1;
            while (k > 0 && starts[k] > time)
            {
                k--;
            }

            var from = k == 0 ? levels[0] : levels[k - 1];
            var ramp = Math.Min(1, (time - starts[k]) / RampFrames);
            return from + ((levels[k] - from) * (1 - Math.Cos(Math.PI * ramp)) / 2);
        };
    }

    /// <summary>Camera shake as functions of the distance driven (cruise-frames): sideways sway (metres), yaw and pitch wobbles (radians).</summary>
    private sealed record Shake(Func<double, double> Sway, Func<double, double> Yaw, Func<double, double> Pitch)
    {
        public static Shake None { get; } = new(_ => 0, _ => 0, _ => 0);

        public static Shake Draw(SplitMix rng)
        {
            const double Degree = Math.PI / 180;
            var sway1 = Wave(rng, 0.15, 0.3, 25, 50);
            var sway2 = Wave(rng, 0.03, 0.06, 6, 12);
            var yaw = Wave(rng, 0.4 * Degree, 1.2 * Degree, 8, 20);
            var pitch1 = Wave(rng, 0.3 * Degree, 0.8 * Degree, 5, 12);
            var pitch2 = Wave(rng, 0.1 * Degree, 0.3 * Degree, 2.5, 4);
            return new Shake(s => sway1(s) + sway2(s), yaw, s => pitch1(s) + pitch2(s));
        }

        /// <summary>A sine through zero at the start with a random amplitude and period.</summary>
        private static Func<double, double> Wave(SplitMix rng, double minAmplitude, double maxAmplitude, double minPeriod, double maxPeriod)
        {
            var amplitude = rng.Uniform(minAmplitude, maxAmplitude) * (rng.Chance(0.5) ? 1 : -1);
            var period = rng.Uniform(minPeriod, maxPeriod);
            return s => amplitude * Math.Sin(2 * Math.PI * s / period);
        }
    }
}
