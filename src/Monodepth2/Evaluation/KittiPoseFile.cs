using System.Globalization;
using System.Text;

namespace Monodepth2.Evaluation;

/// <summary>
/// KITTI odometry pose files (<c>poses/09.txt</c>): one frame a line, 12 numbers, the row-major 3x4 camera-to-world
/// matrix; read as 4x4 homogeneous matrices (bottom row 0 0 0 1). Blank lines are ignored.
/// </summary>
public static class KittiPoseFile
{
    /// <summary>Reads every pose.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line does not hold 12 numbers; the message gives file and line number.</exception>
    public static IReadOnlyList<double[,]> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: pose file not found.", path);
        }

        return Parse(File.ReadAllLines(path), path);
    }

    /// <summary>Parses pose lines; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="InvalidDataException">A line does not hold 12 numbers; the message gives source and line number.</exception>
    public static IReadOnlyList<double[,]> Parse(IEnumerable<string> lines, string source)
    {
        var poses = new List<double[,]>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 12)
            {
                throw new InvalidDataException($"{source}:{number}: expected 12 numbers (a row-major 3x4 camera-to-world matrix), got {parts.Length}.");
            }

            var m = new double[4, 4];
            for (var k = 0; k < 12; k++)
            {
                if (!double.TryParse(parts[k], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                {
                    throw new InvalidDataException($"{source}:{number}: value {k + 1} '{parts[k]}' is not a finite number.");
                }

                m[k / 4, k % 4] = v;
            }

            m[3, 3] = 1;
            poses.Add(m);
        }

        return poses;
    }

    /// <summary>Writes poses (4x4, the top 3x4 used) in the same format.</summary>
    public static void Write(string path, IEnumerable<double[,]> poses)
    {
        var sb = new StringBuilder();
        foreach (var m in poses)
        {
            for (var k = 0; k < 12; k++)
            {
                sb.Append(m[k / 4, k % 4].ToString("R", CultureInfo.InvariantCulture)).Append(k == 11 ? '\n' : ' ');
            }
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, sb.ToString());
    }
}
