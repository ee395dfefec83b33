using Monodepth2.Geometry;
using Monodepth2.Imaging;

namespace Monodepth2.Data;

/// <summary>
/// One loaded training sample, CPU data only. Per frame id: the un-jittered (but flipped when <see cref="Flipped"/>)
/// colour pyramid that the losses use, and the colour-jittered full-resolution image that the networks see.
/// </summary>
public sealed class MonodepthSample
{
    /// <summary>Creates a sample; see the properties.</summary>
    public MonodepthSample(
        int index,
        string description,
        IReadOnlyDictionary<FrameId, IReadOnlyList<RgbImage>> pyramids,
        IReadOnlyDictionary<FrameId, RgbImage> augmented,
        IReadOnlyDictionary<FrameId, string> files,
        Intrinsics intrinsics,
        double sideSign,
        bool flipped,
        ColorJitterParameters? jitter,
        DepthMap? groundTruth,
        IReadOnlyDictionary<FrameId, double>? travel = null)
    {
        Index = index;
        Description = description;
        Pyramids = pyramids;
        Augmented = augmented;
        Files = files;
        Intrinsics = intrinsics;
        SideSign = sideSign;
        Flipped = flipped;
        Jitter = jitter;
        GroundTruth = groundTruth;
        Travel = travel ?? new Dictionary<FrameId, double>();
    }

    /// <summary>Index of the sample in its dataset.</summary>
    public int Index { get; }

    /// <summary>Human-readable origin (split line or sequence and frame).</summary>
    public string Description { get; }

    /// <summary>Frame ids in the order of the dataset options.</summary>
    public IEnumerable<FrameId> FrameIds => Pyramids.Keys;

    /// <summary>Per frame id: images at scale s = 0..S-1, (W / 2^s) x (H / 2^s), each level resized from the previous one; not jittered.</summary>
    public IReadOnlyDictionary<FrameId, IReadOnlyList<RgbImage>> Pyramids { get; }

    /// <summary>Per frame id: the colour-jittered full-resolution image (the same instance as pyramid level 0 when not jittered).</summary>
    public IReadOnlyDictionary<FrameId, RgbImage> Augmented { get; }

    /// <summary>Per frame id: the image file that was read.</summary>
    public IReadOnlyDictionary<FrameId, string> Files { get; }

    /// <summary>Normalised intrinsics of the target camera (unchanged by flipping, as in the reference).</summary>
    public Intrinsics Intrinsics { get; }

    /// <summary>-1 when the target is the left camera, +1 when it is the right one.</summary>
    public double SideSign { get; }

    /// <summary>Whether all frames (and ground truth) were mirrored left to right.</summary>
    public bool Flipped { get; }

    /// <summary>
    /// side sign x flip sign (flip sign -1 when flipped): the stereo transform is the identity with
    /// T[0, 3] = <see cref="StereoSign"/> x baseline (0.1).
    /// </summary>
    public double StereoSign => SideSign * (Flipped ? -1 : 1);

    /// <summary>The colour-jitter draw applied to <see cref="Augmented"/>, or null when none.</summary>
    public ColorJitterParameters? Jitter { get; }

    /// <summary>Ground-truth depth of the target (flipped with it), when the dataset loads it.</summary>
    public DepthMap? GroundTruth { get; }

    /// <summary>
    /// Metres the camera moved from the target to each temporal source, where known (velocity supervision, with
    /// <see cref="DatasetOptions.LoadTravel"/>); empty otherwise.
    /// </summary>
    public IReadOnlyDictionary<FrameId, double> Travel { get; }

    /// <summary>Full-resolution width.</summary>
    public int Width => Pyramids[FrameId.Target][0].Width;

    /// <summary>Full-resolution height.</summary>
    public int Height => Pyramids[FrameId.Target][0].Height;
}
