using static TorchSharp.torch;

namespace Monodepth2.Geometry;

/// <summary>
/// A predicted relative pose before it becomes a matrix: axis-angle and translation [B, 1, 3] as the pose network gave
/// them, and whether the transform is inverted (a source frame before the target).
/// </summary>
/// <param name="AxisAngle">Axis-angle rotation [B, 1, 3].</param>
/// <param name="Translation">Translation [B, 1, 3].</param>
/// <param name="Invert">Invert the transform (the pair was fed as [source, target]).</param>
public sealed record PoseParameters(Tensor AxisAngle, Tensor Translation, bool Invert)
{
    /// <summary>
    /// The transform [B, 4, 4] (<see cref="PoseMath.TransformationFromParameters"/>), with the translation first
    /// multiplied by <paramref name="translationScale"/> [B] when given (PoseCNN: the mean inverse depth, as the reference).
    /// </summary>
    public Tensor ToTransform(Tensor? translationScale = null)
    {
        using var scope = NewDisposeScope();
        var t = translationScale is null ? Translation : Translation * translationScale.reshape(-1, 1, 1);
        return PoseMath.TransformationFromParameters(AxisAngle, t, Invert).MoveToOuterDisposeScope();
    }
}
