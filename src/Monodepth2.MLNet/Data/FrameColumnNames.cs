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

    /// <summary>
    /// Optional camera travel for velocity supervision (<c>TrainingOptions.VelocityWeight</c>): a number column holding the
    /// metres the camera moved from the previous frame of the same sequence (frame index - 1) to this one; NaN, empty or a
    /// missing previous row means unknown. The travel from a target to a source is the sum over the frames in between.
    /// </summary>
    public string? Travel { get; init; }
}
