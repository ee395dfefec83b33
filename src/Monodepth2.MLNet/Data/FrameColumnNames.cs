namespace Monodepth2.MLNet.Data;

/// <summary>Which columns of an <see cref="Microsoft.ML.IDataView"/> describe training frames.</summary>
public sealed record FrameColumnNames
{
    /// <summary>The image column (ML.NET image type, e.g. from <c>LoadImages</c>).</summary>
    public required string Image { get; init; }

    /// <summary>Video (sequence) identifier: text or a number. Frames of one sequence are neighbours in time.</summary>
    public string Sequence { get; init; } = "Sequence";

    /// <summary>Frame index within the sequence (a whole number); temporal neighbours are index - 1 and + 1.</summary>
    public string FrameIndex { get; init; } = "Frame";

    /// <summary>Optional camera side for stereo pairs: "l"/"left"/"2" or "r"/"right"/"3". Null: every frame is a left frame.</summary>
    public string? Side { get; init; }

    /// <summary>Optional per-frame intrinsics: a vector of 4 floats, normalised fx, fy, cx, cy (fx / width, ...).</summary>
    public string? Intrinsics { get; init; }
}
