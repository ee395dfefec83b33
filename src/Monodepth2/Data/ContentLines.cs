namespace Monodepth2.Data;

/// <summary>The lines of this project's small text formats (split files, intrinsics, speeds) that carry content.</summary>
internal static class ContentLines
{
    /// <summary>Each trimmed line that is neither blank nor a <c>#</c> comment, with its 1-based line number (for errors).</summary>
    public static IEnumerable<(int Number, string Text)> Of(IEnumerable<string> lines)
    {
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                yield return (number, line);
            }
        }
    }
}
