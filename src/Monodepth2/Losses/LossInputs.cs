using static TorchSharp.torch;

namespace Monodepth2.Losses;

/// <summary>A source frame seen by the loss: its image pyramid and the transform from the target camera to it.</summary>
/// <param name="Pyramid">Un-augmented images [B, 3, H / 2^s, W / 2^s], index s = 0..3, values in [0, 1].</param>
/// <param name="Transform">Target-to-source camera transform [B, 4, 4] (from the pose network, or the stereo baseline).</param>
/// <param name="DepthScaledPose">
/// When set (PoseCNN), the loss builds the transform at each scale from these parameters with the translation multiplied
/// by the mean inverse depth of that scale's (upsampled) depth, as the reference does, and <paramref name="Transform"/> is not used.
/// </param>
/// <param name="Travel">
/// Velocity supervision: metres the camera moved from the target to this source, [B], NaN where unknown; the loss then
/// adds <see cref="LossOptions.VelocityWeight"/> x the mean of | ||t|| - travel | over known samples, t being the
/// translation of the transform it warps with. Null: no velocity term for this source.
/// </param>
public sealed record SourceView(IReadOnlyList<Tensor> Pyramid, Tensor Transform, Geometry.PoseParameters? DepthScaledPose = null, Tensor? Travel = null);

/// <summary>Everything besides the predicted disparities that the Monodepth2 loss needs for one batch.</summary>
/// <param name="TargetPyramid">Un-augmented target images [B, 3, H / 2^s, W / 2^s], index s = 0..3.</param>
/// <param name="Sources">The source frames (temporal neighbours and/or the stereo partner).</param>
/// <param name="K">Pixel intrinsics [B, 4, 4] per scale s = 0..3.</param>
/// <param name="InverseK">Their pseudo-inverses, per scale.</param>
public sealed record LossInputs(IReadOnlyList<Tensor> TargetPyramid, IReadOnlyList<SourceView> Sources, IReadOnlyList<Tensor> K, IReadOnlyList<Tensor> InverseK);

/// <summary>The loss of one batch with its parts (scalars), for optimisation and logging.</summary>
/// <param name="Total">Mean over scales of (reprojection + weighted smoothness).</param>
/// <param name="PerScale">Loss of each scale, in the order of <see cref="LossOptions.Scales"/>.</param>
/// <param name="Reprojection">Mean over scales of the minimum-reprojection term.</param>
/// <param name="Smoothness">Mean over scales of the unweighted smoothness term.</param>
/// <param name="AutoMask">For the first scale: 1 where a warped source won over every identity error, else 0, [B, 1, H, W]; null without auto-masking.</param>
/// <param name="Disparity">The first scale's sigmoid disparity [B, 1, h, w] (for logging).</param>
/// <param name="MinimumShares">
/// For the first scale, which candidate won the per-pixel minimum, as shares of the pixels [1 + sources]: the identity
/// (auto-masked: a source image unwarped, any of them) first, then each warped source in the order of
/// <see cref="LossInputs.Sources"/>; null when there is no per-pixel minimum (one candidate, or averaged reprojection).
/// </param>
/// <param name="Velocity">
/// The unweighted velocity term (mean over scales and over the (source, sample) pairs with known travel of
/// | ||t|| - travel |, in metres; 0 when no pair is known), already added to <paramref name="Total"/> times
/// <see cref="LossOptions.VelocityWeight"/>; null when no source carries travel.
/// </param>
public sealed record LossResult(Tensor Total, IReadOnlyList<Tensor> PerScale, Tensor Reprojection, Tensor Smoothness, Tensor? AutoMask, Tensor Disparity,
    Tensor? MinimumShares = null, Tensor? Velocity = null);
