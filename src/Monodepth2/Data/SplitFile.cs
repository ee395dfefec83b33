using System.Globalization;

namespace Monodepth2.Data;

/// <summary>
/// Split files as Monodepth2 uses them (e.g. <c>splits/eigen_zhou/train_files.txt</c>): one sample a line,
/// <c>&lt;folder&gt; &lt;frame index&gt; [side]</c>, side <c>l</c>/<c>r</c> or <c>2</c>/<c>3</c>, separated by white space.
/// Blank lines and lines starting with <c>#</c> are ignored. Errors name the file and the line.
/// </summary>
public static class SplitFile
{
    /// <summary>Reads a split file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is malformed; the message gives file and line number.</exception>
    public static IReadOnlyList<SplitEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: split file not found.", path);
        }

        return Parse(File.ReadAllLines(path), path);
    }

    /// <summary>Parses split-file lines; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="InvalidDataException">A line is malformed; the message gives source and line number.</exception>
    public static IReadOnlyList<SplitEntry> Parse(IEnumerable<string> lines, string source)
    {
        var entries = new List<SplitEntry>();
        foreach (var (number, line) in ContentLines.Of(lines))
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is < 2 or > 3)
            {
                throw Error(source, number, $"expected '<folder> <frame index> [side]', got '{line}'");
            }

            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                throw Error(source, number, $"frame index '{parts[1]}' is not a non-negative integer");
            }

            CameraSide? side = parts.Length == 3 ? ParseSide(parts[2]) ?? throw Error(source, number, $"side '{parts[2]}' is not one of l, r, 2, 3") : null;
            entries.Add(new SplitEntry(parts[0], index, side, source, number));
        }

        return entries;
    }

    /// <summary>Writes entries as a split file (side as l/r).</summary>
    public static void Write(IEnumerable<SplitEntry> entries, string path) =>
        File.WriteAllLines(path, entries.Select(e => e.ToLine()));

    private static CameraSide? ParseSide(string token) => token switch
    {
        "l" or "L" or "2" => CameraSide.Left,
        "r" or "R" or "3" => CameraSide.Right,
        _ => null,
    };

    private static InvalidDataException Error(string source, int line, string message) => new($"{source}:{line}: {message}.");
}
