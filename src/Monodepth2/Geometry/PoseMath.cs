using static TorchSharp.torch;
using static Monodepth2.ScalarCache;

namespace Monodepth2.Geometry;

/// <summary>Rigid transforms from the pose network's axis-angle and translation outputs, as 4x4 matrices.</summary>
public static class PoseMath
{
    /// <summary>Added to the rotation angle before dividing, as the reference does, so a zero vector is safe.</summary>
    public const double AngleEpsilon = 1e-7;

    /// <summary>
    /// Rodrigues' formula: rotation matrices [B, 4, 4] (homogeneous, bottom-right 1) from axis-angle vectors
    /// whose last dimension is 3 ([B, 3], [B, 1, 3], ...; angle = norm in radians).
    /// </summary>
    public static Tensor RotationFromAxisAngle(Tensor axisAngle)
    {
        using var scope = NewDisposeScope();
        var v = axisAngle.reshape(-1, 3);
        var angle = v.norm(1, keepdim: true);
        var axis = v / (angle + S(AngleEpsilon));
        var ca = angle.cos();
        var sa = angle.sin();
        var c = S(1.0) - ca;
        var x = axis[.., 0..1];
        var y = axis[.., 1..2];
        var z = axis[.., 2..3];
        var xs = x * sa;
        var ys = y * sa;
        var zs = z * sa;
        var xyC = x * y * c;
        var yzC = y * z * c;
        var zxC = z * x * c;
        var zero = zeros_like(x);
        var one = ones_like(x);
        var row0 = cat([x * x * c + ca, xyC - zs, zxC + ys, zero], 1);
        var row1 = cat([xyC + zs, y * y * c + ca, yzC - xs, zero], 1);
        var row2 = cat([zxC - ys, yzC + xs, z * z * c + ca, zero], 1);
        var row3 = cat([zero, zero, zero, one], 1);
        return stack([row0, row1, row2, row3], 1).MoveToOuterDisposeScope();
    }

    /// <summary>Homogeneous translation matrices [B, 4, 4] from vectors whose last dimension is 3.</summary>
    public static Tensor TranslationMatrix(Tensor translation)
    {
        using var scope = NewDisposeScope();
        var t = translation.reshape(-1, 3, 1);
        var batch = t.shape[0];
        var eye3 = eye(3, dtype: t.dtype, device: t.device).expand(batch, 3, 3);
        var top = cat([eye3, t], 2);
        var bottom = tensor(new float[] { 0, 0, 0, 1 }, dtype: t.dtype, device: t.device).expand(batch, 1, 4);
        return cat([top, bottom], 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The transform T(t) R, or with <paramref name="invert"/> its inverse R^T T(-t), [B, 4, 4].
    /// </summary>
    public static Tensor TransformationFromParameters(Tensor axisAngle, Tensor translation, bool invert = false)
    {
        using var scope = NewDisposeScope();
        var r = RotationFromAxisAngle(axisAngle);
        var t = translation;
        if (invert)
        {
            r = r.transpose(1, 2);
            t = -t;
        }

        var tm = TranslationMatrix(t);
        var m = invert ? r.matmul(tm) : tm.matmul(r);
        return m.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The transforms from one camera of a rectified stereo pair to the other, [B, 4, 4]: identity with
    /// T[0, 3] = signs[b] x <paramref name="baseline"/>, where a sign is side sign x flip sign (reference: baseline 0.1,
    /// side -1 for the left image, flip -1 when mirrored).
    /// </summary>
    public static Tensor StereoTransform(IReadOnlyList<double> signs, double baseline = StereoBaseline.Training, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(signs);
        var flat = new float[signs.Count * 16];
        for (var i = 0; i < signs.Count; i++)
        {
            for (var d = 0; d < 4; d++)
            {
                flat[(i * 16) + (d * 5)] = 1f;
            }

            flat[(i * 16) + 3] = (float)(signs[i] * baseline);
        }

        return tensor(flat, [signs.Count, 4, 4], device: device);
    }
}
