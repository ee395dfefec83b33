using Monodepth2.Imaging;

namespace Monodepth2.Data.Synthetic;

/// <summary>One rendered view with its exact ground truth, all arrays [H, W] row major.</summary>
/// <param name="Image">The colour image.</param>
/// <param name="Depth">Z-depth in metres (distance along the optical axis, not along the ray); 0 for sky.</param>
/// <param name="Surface">What each pixel sees.</param>
/// <param name="Face">For box pixels, which face (by world normal); <see cref="BoxFace.None"/> otherwise.</param>
/// <param name="ObjectId">Index of the scene box each pixel sees, -1 for ground, -2 for sky.</param>
public sealed record SyntheticFrame(RgbImage Image, float[] Depth, SurfaceKind[] Surface, BoxFace[] Face, int[] ObjectId);
