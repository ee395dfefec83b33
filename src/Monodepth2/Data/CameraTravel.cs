using System.Globalization;
using Monodepth2.Evaluation;

namespace Monodepth2.Data;

/// <summary>
/// How far the camera moved between two frames of one sequence, in metres, for velocity supervision: from known
/// camera positions (a poses file: the distance between the two camera centres) or from known speeds at known times
/// (KITTI oxts, a speeds file: the trapezoid integral of the speed over the frames in between). Frames without data
/// have no known travel.
/// </summary>
public sealed class CameraTravel
{
    /// <summary>The file name of a Folder-layout poses file beside the frames.</summary>
    public const string PosesFileName = "poses.txt";

    /// <summary>The file name of a Folder-layout speeds file beside the frames.</summary>
    public const string SpeedsFileName = "speeds.txt";

    private readonly double[,]? positions;
    private readonly double[]? seconds;
    private readonly double[]? speeds;

    private CameraTravel(double[,]? positions, double[]? seconds, double[]? speeds, string source)
    {
        this.positions = positions;
        this.seconds = seconds;
        this.speeds = speeds;
        Source = source;
    }

    /// <summary>Where the travel comes from (a file or folder), for messages.</summary>
    public string Source { get; }

    /// <summary>Frames the source covers (frames from 0 to this minus one).</summary>
    public int FrameCount => positions?.GetLength(0) ?? seconds!.Length;

    /// <summary>Travel from camera-to-world poses (4x4, as <see cref="KittiPoseFile"/> reads them), frame k = pose k.</summary>
    public static CameraTravel FromPoses(IReadOnlyList<double[,]> poses, string source)
    {
        ArgumentNullException.ThrowIfNull(poses);
        var p = new double[poses.Count, 3];
        for (var i = 0; i < poses.Count; i++)
        {
            for (var a = 0; a < 3; a++)
            {
                p[i, a] = poses[i][a, 3];
            }
        }

        return new CameraTravel(p, null, null, source);
    }

    /// <summary>Travel from a poses file in the KITTI odometry format (12 numbers a line, row-major 3x4 camera-to-world).</summary>
    /// <exception cref="InvalidDataException">A malformed line; the message gives file and line.</exception>
    public static CameraTravel FromPoseFile(string path) => FromPoses(KittiPoseFile.Read(path), path);

    /// <summary>
    /// Travel from speeds (m/s, NaN = unknown) at times (seconds, non-decreasing), frame k = entry k.
    /// </summary>
    /// <exception cref="ArgumentException">Different lengths.</exception>
    public static CameraTravel FromSpeeds(IReadOnlyList<double> seconds, IReadOnlyList<double> speeds, string source)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        ArgumentNullException.ThrowIfNull(speeds);
        if (seconds.Count != speeds.Count)
        {
            throw new ArgumentException($"{source}: {seconds.Count} times but {speeds.Count} speeds.");
        }

        return new CameraTravel(null, seconds.ToArray(), speeds.ToArray(), source);
    }

    /// <summary>
    /// Travel from a KITTI raw drive's <c>oxts/timestamps.txt</c> and <c>oxts/data/&lt;10-digit&gt;.txt</c>
    /// (<see cref="OxtsFile"/>); a frame whose data file is missing has no known speed.
    /// </summary>
    /// <exception cref="InvalidDataException">A malformed file; the message gives file and line.</exception>
    public static CameraTravel FromOxts(string driveFolder)
    {
        var stamps = OxtsFile.ReadTimestamps(OxtsFile.TimestampsPath(driveFolder));
        var speeds = new double[stamps.Length];
        for (var i = 0; i < stamps.Length; i++)
        {
            var file = OxtsFile.DataPath(driveFolder, i);
            speeds[i] = File.Exists(file) ? OxtsFile.ReadSpeed(file) : double.NaN;
        }

        return FromSpeeds(stamps, speeds, Path.Combine(driveFolder, "oxts"));
    }

    /// <summary>
    /// Reads a Folder-layout <c>speeds.txt</c>: one line per frame, in the folder's frame order, <c>&lt;seconds&gt; &lt;speed m/s&gt;</c>
    /// (time of the frame, any origin, non-decreasing; speed of the camera at that time). <c>#</c> starts a comment line;
    /// blank lines are skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">A malformed line or decreasing time; the message gives file and line.</exception>
    public static CameraTravel FromSpeedsFile(string path)
    {
        var times = new List<double>();
        var speeds = new List<double>();
        foreach (var (number, line) in ContentLines.Of(File.ReadLines(path)))
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 ||
                !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || !double.IsFinite(t) ||
                !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0)
            {
                throw new InvalidDataException($"{path}:{number}: expected '<seconds> <speed in m/s>' (two finite numbers, speed >= 0), got '{line}'.");
            }

            if (times.Count > 0 && t < times[^1])
            {
                throw new InvalidDataException($"{path}:{number}: time {parts[0]} s is before the previous line's {times[^1].ToString(CultureInfo.InvariantCulture)} s.");
            }

            times.Add(t);
            speeds.Add(v);
        }

        return FromSpeeds(times, speeds, path);
    }

    /// <summary>
    /// Metres travelled between frames <paramref name="from"/> and <paramref name="to"/> (either order), or null when a
    /// frame in between is outside the source or has no speed.
    /// </summary>
    public double? Between(int from, int to)
    {
        var (a, b) = from <= to ? (from, to) : (to, from);
        if (a < 0 || b >= FrameCount)
        {
            return null;
        }

        if (positions is not null)
        {
            var sum = 0.0;
            for (var k = 0; k < 3; k++)
            {
                var d = positions[b, k] - positions[a, k];
                sum += d * d;
            }

            return Math.Sqrt(sum);
        }

        var travel = 0.0;
        for (var i = a; i < b; i++)
        {
            var (v0, v1) = (speeds![i], speeds[i + 1]);
            if (double.IsNaN(v0) || double.IsNaN(v1))
            {
                return null;
            }

            travel += (seconds![i + 1] - seconds[i]) * (v0 + v1) / 2;
        }

        return travel;
    }

    /// <summary>
    /// The travel from the target frame <paramref name="target"/> to each temporal source frame of <paramref name="frameIds"/>
    /// that is known (the stereo partner and unknown ones are left out).
    /// </summary>
    public IReadOnlyDictionary<FrameId, double> ForSample(int target, IEnumerable<FrameId> frameIds)
    {
        ArgumentNullException.ThrowIfNull(frameIds);
        var result = new Dictionary<FrameId, double>();
        foreach (var id in frameIds.Where(f => !f.IsStereo && !f.IsTarget))
        {
            if (Between(target, target + id.Offset) is { } d)
            {
                result[id] = d;
            }
        }

        return result;
    }
}
