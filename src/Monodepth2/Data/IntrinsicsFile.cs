using System.Globalization;

namespace Monodepth2.Data;

/// <summary>
/// Camera intrinsics for your own videos (<see cref="FolderVideoDataset"/>), a text file <c>intrinsics.txt</c> with
/// one non-comment line, the unit keyword first:
/// <code>
/// # lines starting with '#' and blank lines are ignored
/// pixels fx fy cx cy [width height]
/// </code>
/// or
/// <code>
/// normalized fx fy cx cy
/// </code>
/// <c>pixels</c>: values in pixels of the stored images; <c>width height</c> state the image size they were measured on
/// (every frame must then have that size), else the size of the sequence's first frame is used.
/// <c>normalized</c> (or <c>normalised</c>): fx / W, fy / H, cx / W, cy / H as Monodepth2 keeps them
/// (KITTI: <c>normalized 0.58 1.92 0.5 0.5</c>); cx and cy must lie in [0, 1].
/// </summary>
public static class IntrinsicsFile
{
    /// <summary>The file name looked for in a sequence folder, then in the data root.</summary>
    public const string FileName = "intrinsics.txt";

    /// <summary>Reads and checks an intrinsics file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">It is malformed; the message names the file and the line.</exception>
    public static IntrinsicsFileEntry Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: intrinsics file not found.", path);
        }

        IntrinsicsFileEntry? result = null;
        foreach (var (number, line) in ContentLines.Of(File.ReadLines(path)))
        {
            if (result is not null)
            {
                throw new InvalidDataException($"{path}:{number}: only one intrinsics line is allowed.");
            }

            result = ParseLine(line, path, number);
        }

        return result ?? throw new InvalidDataException($"{path}: no intrinsics line; expected 'pixels fx fy cx cy [width height]' or 'normalized fx fy cx cy'.");
    }

    private static IntrinsicsFileEntry ParseLine(string line, string path, int number)
    {
        var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var unit = parts[0].ToLowerInvariant();
        var normalized = unit is "normalized" or "normalised";
        if (!normalized && unit != "pixels")
        {
            throw Error(path, number, $"the line must start with 'pixels' or 'normalized', not '{parts[0]}' (format: 'pixels fx fy cx cy [width height]' or 'normalized fx fy cx cy')");
        }

        var counts = normalized ? [4] : new[] { 4, 6 };
        if (!counts.Contains(parts.Length - 1))
        {
            throw Error(path, number, $"'{unit}' needs {string.Join(" or ", counts)} numbers, found {parts.Length - 1}");
        }

        var v = new double[parts.Length - 1];
        for (var i = 0; i < v.Length; i++)
        {
            if (!double.TryParse(parts[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i]))
            {
                throw Error(path, number, $"'{parts[i + 1]}' is not a number");
            }
        }

        if (!(v[0] > 0) || !(v[1] > 0))
        {
            throw Error(path, number, $"focal lengths must be positive (got {v[0]}, {v[1]})");
        }

        if (normalized && (v[2] is < 0 or > 1 || v[3] is < 0 or > 1))
        {
            throw Error(path, number, $"normalized cx, cy must lie in [0, 1] (got {v[2]}, {v[3]}); use 'pixels' for pixel values");
        }

        int? w = null, h = null;
        if (v.Length == 6)
        {
            if (v[4] < 1 || v[5] < 1 || v[4] != Math.Floor(v[4]) || v[5] != Math.Floor(v[5]))
            {
                throw Error(path, number, $"image size must be positive integers (got {v[4]} x {v[5]})");
            }

            (w, h) = ((int)v[4], (int)v[5]);
        }

        return new IntrinsicsFileEntry(normalized, v[0], v[1], v[2], v[3], w, h, path);
    }

    private static InvalidDataException Error(string path, int line, string message) => new($"{path}:{line}: {message}.");
}
