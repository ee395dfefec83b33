using Monodepth2.Geometry;

namespace Monodepth2.Data;

/// <summary>What a dataset layout resolves one sample to: the files to read and the camera.</summary>
/// <param name="Frames">Image file per frame id.</param>
/// <param name="Intrinsics">Normalised intrinsics of the target camera.</param>
/// <param name="SideSign">-1 when the target is the left camera, +1 the right one.</param>
/// <param name="GroundTruth">Depth PNG of the target to load, or null.</param>
/// <param name="RequiredSize">When set, every frame file must have exactly this size before resizing.</param>
/// <param name="SizeSource">What <paramref name="RequiredSize"/> comes from, for error messages.</param>
/// <param name="Travel">Known camera travel in metres from the target to temporal sources (velocity supervision), or null.</param>
public sealed record SampleFiles(
    IReadOnlyDictionary<FrameId, string> Frames,
    Intrinsics Intrinsics,
    double SideSign,
    string? GroundTruth = null,
    (int Width, int Height)? RequiredSize = null,
    string? SizeSource = null,
    IReadOnlyDictionary<FrameId, double>? Travel = null);
