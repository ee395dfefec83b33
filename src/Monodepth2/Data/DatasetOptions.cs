namespace Monodepth2.Data;

/// <summary>
/// How samples are loaded. Training derives them from its options (<c>TrainingOptions.Data</c>); evaluation uses
/// <c>DepthEvaluator.EvaluationDatasetOptions</c>.
/// </summary>
public sealed record DatasetOptions
{
    /// <summary>Network input width in pixels (a multiple of 32).</summary>
    public required int Width { get; init; }

    /// <summary>Network input height in pixels (a multiple of 32).</summary>
    public required int Height { get; init; }

    /// <summary>Frames per sample: the target 0 first by convention, temporal neighbours, and/or "s" for stereo.</summary>
    public required IReadOnlyList<FrameId> FrameIds { get; init; }

    /// <summary>Number of pyramid levels: scale s = 0 .. Scales - 1 at (H / 2^s) x (W / 2^s).</summary>
    public int Scales { get; init; } = 4;

    /// <summary>Image file extension for the KITTI layouts, with the dot (".png" or ".jpg").</summary>
    public string ImageExtension { get; init; } = ".png";

    /// <summary>Random colour jitter and horizontal flip (each with probability 0.5), for training.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Skip samples that cannot be loaded (counted and reported) instead of throwing.</summary>
    public bool SkipBadSamples { get; init; }

    /// <summary>
    /// Memory for resized frames and their pyramids, kept across samples and epochs so that each frame is decoded and
    /// resized once (0: no cache). Samples are the same with and without it.
    /// </summary>
    public int FrameCacheMegabytes { get; init; }

    /// <summary>
    /// Load each sample's known camera travel (<see cref="MonodepthSample.Travel"/>, for velocity supervision) from the
    /// layout's poses, oxts or speeds files. Off by default, so those files are never read otherwise.
    /// </summary>
    public bool LoadTravel { get; init; }

    /// <summary>Seed for shuffling and augmentation in <see cref="BatchLoader"/>.</summary>
    public int Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when the options cannot work.</summary>
    public void Validate()
    {
        if (Height <= 0 || Width <= 0)
        {
            throw new ArgumentException($"Image size must be positive (got {Width} x {Height}).");
        }

        if (Scales < 1 || Height >> (Scales - 1) < 1 || Width >> (Scales - 1) < 1)
        {
            throw new ArgumentException($"{Scales} scales do not fit a {Width} x {Height} input.");
        }

        if (FrameIds.Count == 0 || !FrameIds.Contains(FrameId.Target))
        {
            throw new ArgumentException("FrameIds must contain the target frame 0.");
        }

        if (FrameIds.Distinct().Count() != FrameIds.Count)
        {
            throw new ArgumentException($"FrameIds contain duplicates: {string.Join(", ", FrameIds)}.");
        }

        if (FrameCacheMegabytes < 0)
        {
            throw new ArgumentException($"FrameCacheMegabytes must be 0 (off) or positive (got {FrameCacheMegabytes}).");
        }

        if (!ImageExtension.StartsWith('.'))
        {
            throw new ArgumentException($"ImageExtension must start with a dot (got '{ImageExtension}').");
        }
    }
}
