using System.Globalization;
using Monodepth2.Geometry;

namespace Monodepth2.Data;

/// <summary>
/// KITTI raw <c>calib_cam_to_cam.txt</c>: lines <c>key: values</c>. The rectified projection <c>P_rect_0N</c>
/// (3x4, row major) and rectified image size <c>S_rect_0N</c> (width height) of camera N = 2 (left colour) or
/// 3 (right colour) give normalised intrinsics fx / W, fy / H, cx / W, cy / H.
/// </summary>
public static class KittiCalibration
{
    /// <summary>The calibration file of a KITTI raw drive folder <c>date/drive_sync</c>: <c>root/date/calib_cam_to_cam.txt</c>.</summary>
    public static string PathFor(string root, string folder)
    {
        var date = folder.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? folder;
        return Path.Combine(root, date, "calib_cam_to_cam.txt");
    }

    /// <summary>Reads the normalised intrinsics of the colour camera on <paramref name="side"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">An entry is missing or malformed; the message names the file (and line).</exception>
    public static Intrinsics ReadIntrinsics(string path, CameraSide side)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: calibration file not found.", path);
        }

        var camera = side == CameraSide.Left ? "02" : "03";
        var p = ReadEntry(path, "P_rect_" + camera, 12);
        var s = ReadEntry(path, "S_rect_" + camera, 2);
        var (w, h) = (s[0], s[1]);
        if (!(w > 0) || !(h > 0))
        {
            throw new InvalidDataException($"{path}: S_rect_{camera} gives a non-positive image size {w} x {h}.");
        }

        if (!(p[0] > 0) || !(p[5] > 0))
        {
            throw new InvalidDataException($"{path}: P_rect_{camera} has non-positive focal lengths ({p[0]}, {p[5]}).");
        }

        return Intrinsics.FromPixels(p[0], p[5], p[2], p[6], w, h);
    }

    private static double[] ReadEntry(string path, string key, int count)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            var colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() != key)
            {
                continue;
            }

            var parts = line[(colon + 1)..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != count)
            {
                throw new InvalidDataException($"{path}:{number}: {key} needs {count} numbers, found {parts.Length}.");
            }

            var values = new double[count];
            for (var i = 0; i < count; i++)
            {
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                {
                    throw new InvalidDataException($"{path}:{number}: {key} value '{parts[i]}' is not a number.");
                }
            }

            return values;
        }

        throw new InvalidDataException($"{path}: no {key} entry.");
    }
}
