using System.Globalization;

namespace Monodepth2.Data;

/// <summary>
/// KITTI raw GPS/IMU files: <c>oxts/data/&lt;10-digit&gt;.txt</c> (one line of 30 space-separated numbers per frame; fields
/// 8, 9, 10, counting from 0, are the forward, leftward and upward velocities vf, vl, vu in m/s) and
/// <c>oxts/timestamps.txt</c> (one line per frame, e.g. <c>2011-09-26 13:02:25.964389445</c>).
/// </summary>
public static class OxtsFile
{
    /// <summary>Numbers on an oxts data line.</summary>
    public const int FieldCount = 30;

    /// <summary>Index of vf (forward velocity, m/s); vl and vu follow.</summary>
    public const int ForwardVelocityField = 8;

    /// <summary>The oxts data file of a frame: <c>&lt;drive&gt;/oxts/data/&lt;10-digit&gt;.txt</c>.</summary>
    public static string DataPath(string driveFolder, int frame) =>
        Path.Combine(driveFolder, "oxts", "data", frame.ToString("D10", CultureInfo.InvariantCulture) + ".txt");

    /// <summary>The timestamps file of a drive: <c>&lt;drive&gt;/oxts/timestamps.txt</c>.</summary>
    public static string TimestampsPath(string driveFolder) => Path.Combine(driveFolder, "oxts", "timestamps.txt");

    /// <summary>Reads the speed |(vf, vl, vu)| in m/s from one oxts data file.</summary>
    /// <exception cref="InvalidDataException">The file does not hold one line of 30 finite numbers; the message names file and line.</exception>
    public static double ReadSpeed(string path)
    {
        var lines = File.ReadAllLines(path);
        var number = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (number < 0)
        {
            throw new InvalidDataException($"{path}: empty oxts file; expected one line of {FieldCount} numbers.");
        }

        var parts = lines[number].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != FieldCount)
        {
            throw new InvalidDataException($"{path}:{number + 1}: expected {FieldCount} numbers (KITTI oxts), got {parts.Length}.");
        }

        var sum = 0.0;
        for (var k = ForwardVelocityField; k < ForwardVelocityField + 3; k++)
        {
            if (!double.TryParse(parts[k], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            {
                throw new InvalidDataException($"{path}:{number + 1}: field {k} '{parts[k]}' (a velocity in m/s) is not a finite number.");
            }

            sum += v * v;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Reads a timestamps file as seconds since its first line (nanosecond digits beyond the 100 ns tick are dropped).
    /// Blank lines are not allowed: line k is frame k.
    /// </summary>
    /// <exception cref="InvalidDataException">A line is not <c>yyyy-MM-dd HH:mm:ss[.fffffffff]</c>; the message names file and line.</exception>
    public static double[] ReadTimestamps(string path)
    {
        var lines = File.ReadAllLines(path);
        var count = lines.Length;
        while (count > 0 && lines[count - 1].Trim().Length == 0)
        {
            count--;
        }

        var seconds = new double[count];
        long first = 0;
        for (var i = 0; i < count; i++)
        {
            var ticks = ParseTimestamp(lines[i].Trim(), path, i + 1);
            if (i == 0)
            {
                first = ticks;
            }

            seconds[i] = (ticks - first) / (double)TimeSpan.TicksPerSecond;
        }

        return seconds;
    }

    private static long ParseTimestamp(string text, string path, int line)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? string.Empty : text[(dot + 1)..];
        if (!DateTime.TryParseExact(whole, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time) ||
            fraction.Length > 9 || !fraction.All(char.IsAsciiDigit))
        {
            throw new InvalidDataException($"{path}:{line}: '{text}' is not a timestamp like 2011-09-26 13:02:25.964389445.");
        }

        var digits = fraction.PadRight(7, '0')[..7];
        return time.Ticks + long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
