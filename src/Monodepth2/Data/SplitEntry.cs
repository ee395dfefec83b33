namespace Monodepth2.Data;

/// <summary>One sample of a split file: <c>&lt;folder&gt; &lt;frame index&gt; [side]</c>.</summary>
/// <param name="Folder">Sequence folder relative to the data root (KITTI raw: <c>date/drive_sync</c>; odometry: the sequence number).</param>
/// <param name="FrameIndex">Index of the target frame in that folder.</param>
/// <param name="Side">Camera side, or null when the line has none.</param>
/// <param name="SourceFile">The split file the entry came from (null when built in code).</param>
/// <param name="LineNumber">1-based line number in <paramref name="SourceFile"/> (0 when built in code).</param>
public sealed record SplitEntry(string Folder, int FrameIndex, CameraSide? Side = null, string? SourceFile = null, int LineNumber = 0)
{
    /// <summary>"file:line" when known, for error messages, else the entry's text.</summary>
    public string Location => SourceFile is null ? ToLine() : $"{SourceFile}:{LineNumber}";

    /// <summary>The entry as a split-file line (side as l/r).</summary>
    public string ToLine() => Side switch
    {
        CameraSide.Left => $"{Folder} {FrameIndex} l",
        CameraSide.Right => $"{Folder} {FrameIndex} r",
        _ => $"{Folder} {FrameIndex}",
    };
}
