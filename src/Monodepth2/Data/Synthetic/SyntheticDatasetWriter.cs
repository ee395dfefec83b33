using System.Globalization;
using System.Text;
using System.Text.Json;
using Monodepth2.Imaging;

namespace Monodepth2.Data.Synthetic;

/// <summary>
/// Writes a synthetic data set in the KITTI raw layout, so the real KITTI loaders read it:
/// <list type="bullet">
/// <item><c>&lt;root&gt;/&lt;date&gt;/&lt;date&gt;_drive_&lt;NNNN&gt;_sync/image_02/data/&lt;10-digit frame&gt;.png</c> (or .jpg),
/// and <c>image_03</c> for the right camera when stereo;</item>
/// <item><c>&lt;root&gt;/&lt;date&gt;/calib_cam_to_cam.txt</c> with <c>S_rect_02/03</c>, <c>R_rect_02/03</c>,
/// <c>P_rect_02/03</c> at the rendered size (<c>P_rect_03[0,3] = -fx * baseline</c>);</item>
/// <item>ground truth z-depth as KITTI depth-benchmark 16-bit PNGs (metres x 256, 0 = none: sky, or beyond 256 m) at
/// <c>&lt;root&gt;/&lt;date&gt;/&lt;drive&gt;_sync/proj_depth/groundtruth/image_02/&lt;10-digit&gt;.png</c> (and image_03);</item>
/// <item>left-camera poses in KITTI odometry format at <c>&lt;root&gt;/poses/&lt;date&gt;_drive_&lt;NNNN&gt;.txt</c>: one line per
/// frame, 12 numbers, the row-major 3x4 camera-to-world matrix, the first frame the identity;</item>
/// <item>KITTI oxts per drive, as if recorded at <see cref="FrameRate"/> Hz: <c>&lt;drive&gt;_sync/oxts/timestamps.txt</c> (frame k at
/// k / 10 s after midnight of the date, or of 2000-01-01 when the date folder is not a date) and <c>oxts/data/&lt;10-digit&gt;.txt</c>, 30 numbers with the true
/// instantaneous speed (<see cref="SyntheticWorld.SpeedAt"/> x <see cref="FrameRate"/>, m/s) as the forward speed vf (field 8) and every other field 0;</item>
/// <item><c>&lt;root&gt;/splits/{train,val,test}_files.txt</c> with lines <c>&lt;date&gt;/&lt;drive&gt;_sync &lt;frame&gt; l</c> (and
/// <c>r</c> in train when stereo); train and val keep frames with both neighbours; whole sequences are split: the last
/// <see cref="SyntheticWorldOptions.TestSequences"/> are test, the ones before them validation;</item>
/// <item><c>&lt;root&gt;/synthetic.json</c> describing the settings.</item>
/// </list>
/// The output is a pure function of the options: the same seed gives byte-identical files.
/// </summary>
public static class SyntheticDatasetWriter
{
    /// <summary>The frame rate the oxts files assume (KITTI's 10 Hz): speed in m/s = metres per frame x this.</summary>
    public const double FrameRate = 10;

    /// <summary>Folder name of a drive without the <c>_sync</c> suffix, e.g. <c>2000_01_01_drive_0001</c> for sequence 0.</summary>
    public static string DriveName(SyntheticWorldOptions options, int sequence)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"{options.Date}_drive_{(sequence + 1).ToString("D4", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The split-file folder of a drive, e.g. <c>2000_01_01/2000_01_01_drive_0001_sync</c>.</summary>
    public static string DriveFolder(SyntheticWorldOptions options, int sequence) => $"{options.Date}/{DriveName(options, sequence)}_sync";

    /// <summary>Which split a sequence belongs to: "train", "val" or "test".</summary>
    public static string SplitOf(SyntheticWorldOptions options, int sequence)
    {
        ArgumentNullException.ThrowIfNull(options);
        return sequence >= options.Sequences - options.TestSequences ? "test"
            : sequence >= options.TrainSequences ? "val"
            : "train";
    }

    /// <summary>
    /// Renders every frame of every sequence and writes the data set under <paramref name="root"/> (created if needed;
    /// existing files of the same names are overwritten). Frames render in parallel.
    /// </summary>
    /// <param name="root">Output folder.</param>
    /// <param name="options">The data set; validated first.</param>
    /// <param name="progress">Receives the number of frames (left + right views counted once) finished so far.</param>
    /// <exception cref="ArgumentException">Invalid options or an empty root.</exception>
    public static void Write(string root, SyntheticWorldOptions options, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(root))
        {
            throw new ArgumentException("The output root folder must be given.", nameof(root));
        }

        options.Validate();
        Directory.CreateDirectory(root);
        var worlds = new SyntheticWorld[options.Sequences];
        for (var s = 0; s < worlds.Length; s++)
        {
            worlds[s] = new SyntheticWorld(options, s);
        }

        var dateDir = Path.Combine(root, options.Date);
        Directory.CreateDirectory(dateDir);
        WriteText(Path.Combine(dateDir, "calib_cam_to_cam.txt"), Calibration(options));

        var frames = options.FramesPerSequence;
        var done = 0;
        var extension = options.ImageFormat == SyntheticImageFormat.Jpeg ? ".jpg" : ".png";
        Parallel.For(0, options.Sequences * frames, job =>
        {
            var world = worlds[job / frames];
            var frame = job % frames;
            var driveDir = Path.Combine(dateDir, DriveName(options, world.Sequence) + "_sync");
            var name = frame.ToString("D10", CultureInfo.InvariantCulture);
            foreach (var right in options.Stereo ? new[] { false, true } : [false])
            {
                var camera = right ? "image_03" : "image_02";
                var view = world.RenderFrame(frame, right, parallel: false);
                var imagePath = Path.Combine(driveDir, camera, "data", name + extension);
                if (options.ImageFormat == SyntheticImageFormat.Jpeg)
                {
                    ImageFiles.WriteRgbJpeg(view.Image, imagePath, options.JpegQuality);
                }
                else
                {
                    ImageFiles.WriteRgbPng(view.Image, imagePath);
                }

                ImageFiles.WriteDepthPng(view.Depth, world.Width, world.Height, Path.Combine(driveDir, "proj_depth", "groundtruth", camera, name + ".png"));
            }

            progress?.Report(Interlocked.Increment(ref done));
        });

        foreach (var world in worlds)
        {
            WriteText(Path.Combine(root, "poses", DriveName(options, world.Sequence) + ".txt"), Poses(world));
            WriteOxts(Path.Combine(dateDir, DriveName(options, world.Sequence) + "_sync"), world);
        }

        foreach (var split in new[] { "train", "val", "test" })
        {
            WriteText(Path.Combine(root, "splits", split + "_files.txt"), SplitFile(options, split));
        }

        WriteText(Path.Combine(root, "synthetic.json"), Description(options, worlds));
    }

    private static string Num(double v)
    {
        var text = v.ToString("0.000000000e+00", CultureInfo.InvariantCulture);
        return text == "-0.000000000e+00" ? "0.000000000e+00" : text;
    }

    private static string Calibration(SyntheticWorldOptions o)
    {
        var k = o.Intrinsics.Matrix(o.Width, o.Height);
        double fx = k[0, 0], fy = k[1, 1], cx = k[0, 2], cy = k[1, 2];
        var sb = new StringBuilder();
        sb.Append("calib_time: synthetic (Monodepth2.Data.Synthetic)\n");
        foreach (var (cam, tx) in new[] { ("02", 0.0), ("03", -fx * o.Baseline) })
        {
            var size = $"{Num(o.Width)} {Num(o.Height)}";
            var kText = string.Join(' ', new[] { fx, 0, cx, 0, fy, cy, 0, 0, 1 }.Select(Num));
            var identity = string.Join(' ', new[] { 1.0, 0, 0, 0, 1, 0, 0, 0, 1 }.Select(Num));
            sb.Append($"S_{cam}: {size}\n");
            sb.Append($"K_{cam}: {kText}\n");
            sb.Append($"D_{cam}: {string.Join(' ', Enumerable.Repeat(Num(0), 5))}\n");
            sb.Append($"R_{cam}: {identity}\n");
            sb.Append($"T_{cam}: {Num(cam == "03" ? -o.Baseline : 0)} {Num(0)} {Num(0)}\n");
            sb.Append($"S_rect_{cam}: {size}\n");
            sb.Append($"R_rect_{cam}: {identity}\n");
            sb.Append($"P_rect_{cam}: {string.Join(' ', new[] { fx, 0, cx, tx, 0, fy, cy, 0, 0, 0, 1, 0 }.Select(Num))}\n");
        }

        return sb.ToString();
    }

    private static string Poses(SyntheticWorld world)
    {
        var sb = new StringBuilder();
        for (var f = 0; f < world.FrameCount; f++)
        {
            var m = world.CameraToWorld(f);
            for (var r = 0; r < 3; r++)
            {
                for (var c = 0; c < 4; c++)
                {
                    sb.Append(Num(m[r, c]));
                    sb.Append(r == 2 && c == 3 ? '\n' : ' ');
                }
            }
        }

        return sb.ToString();
    }

    private static void WriteOxts(string driveDir, SyntheticWorld world)
    {
        // The date folder's name when it is a date (the default), else 2000-01-01.
        var start = DateTime.TryParseExact(world.Options.Date, "yyyy_MM_dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : new DateTime(2000, 1, 1);
        var stamps = new StringBuilder();
        var fields = new string[OxtsFile.FieldCount];
        Array.Fill(fields, "0");
        for (var f = 0; f < world.FrameCount; f++)
        {
            var time = start.AddTicks(f * (long)(TimeSpan.TicksPerSecond / FrameRate));
            stamps.Append(time.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture)).Append("00\n");
            fields[OxtsFile.ForwardVelocityField] = Num(world.SpeedAt(f) * FrameRate);
            WriteText(OxtsFile.DataPath(driveDir, f), string.Join(' ', fields) + "\n");
        }

        WriteText(OxtsFile.TimestampsPath(driveDir), stamps.ToString());
    }

    private static string SplitFile(SyntheticWorldOptions o, string split)
    {
        var sb = new StringBuilder();
        for (var s = 0; s < o.Sequences; s++)
        {
            if (SplitOf(o, s) != split)
            {
                continue;
            }

            var (first, last) = split == "test" ? (0, o.FramesPerSequence - 1) : (1, o.FramesPerSequence - 2);
            for (var f = first; f <= last; f++)
            {
                sb.Append($"{DriveFolder(o, s)} {f.ToString(CultureInfo.InvariantCulture)} l\n");
                if (o.Stereo && split == "train")
                {
                    sb.Append($"{DriveFolder(o, s)} {f.ToString(CultureInfo.InvariantCulture)} r\n");
                }
            }
        }

        return sb.ToString();
    }

    private static string Description(SyntheticWorldOptions o, SyntheticWorld[] worlds)
    {
        var k = o.Intrinsics.Matrix(o.Width, o.Height);
        var description = new
        {
            generator = "Monodepth2.Data.Synthetic",
            seed = o.Seed,
            width = o.Width,
            height = o.Height,
            sequences = o.Sequences,
            framesPerSequence = o.FramesPerSequence,
            stereo = o.Stereo,
            baseline = o.Baseline,
            cameraHeight = o.CameraHeight,
            supersampling = o.Supersampling,
            intrinsics = new { fx = o.Intrinsics.Fx, fy = o.Intrinsics.Fy, cx = o.Intrinsics.Cx, cy = o.Intrinsics.Cy },
            pixelIntrinsics = new { fx = k[0, 0], fy = k[1, 1], cx = k[0, 2], cy = k[1, 2] },
            imageFormat = o.ImageFormat == SyntheticImageFormat.Jpeg ? "jpg" : "png",
            jpegQuality = o.ImageFormat == SyntheticImageFormat.Jpeg ? o.JpegQuality : (int?)null,
            date = o.Date,
            depth = "z-depth in metres, KITTI 16-bit PNG (value / 256); 0 = no measurement (sky, or beyond 255.99 m)",
            poses = "KITTI odometry format: per frame the row-major 3x4 camera-to-world matrix of the left camera; frame 0 = identity; x right, y down, z forward",
            oxts = string.Create(CultureInfo.InvariantCulture, $"KITTI oxts at {FrameRate} Hz: <drive>_sync/oxts/timestamps.txt and oxts/data/<frame>.txt with the true forward speed vf (field 8, m/s); other fields 0"),
            minSpeed = o.MinSpeed,
            maxSpeed = o.MaxSpeed,
            cameraSway = o.CameraSway,
            varyingSpeed = o.VaryingSpeed,
            varyingLight = o.VaryingLight,
            plainAsphalt = o.PlainAsphalt,
            movingCars = o.MovingCars,
            testSequences = o.TestSequences,
            valSequences = o.ValSequences,
            drives = worlds.Select(w => new
            {
                folder = DriveFolder(o, w.Sequence),
                poses = $"poses/{DriveName(o, w.Sequence)}.txt",
                split = SplitOf(o, w.Sequence),
                frames = w.FrameCount,
                speed = w.Speed,
                exposure = w.Exposure,
            }).ToArray(),
        };
        return JsonSerializer.Serialize(description, JsonOptions) + "\n";
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static void WriteText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}
