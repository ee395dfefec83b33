using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static Monodepth2.ScalarCache;

namespace Monodepth2.Geometry;

/// <summary>
/// Back-projection of depth to camera points, projection into another camera, and bilinear warping.
/// <para>
/// Corner convention: pixel centres sit at integer coordinates u = 0..W-1, v = 0..H-1 (no half-pixel offset), and the
/// projection normalises with 2 (x / (W - 1) - 0.5), which maps pixel centre 0 to -1 and W-1 to +1. That is the
/// <c>align_corners = true</c> convention, so <see cref="Warp"/> samples with <c>align_corners: true</c>: a point that
/// projects onto pixel (u, v) reads exactly that pixel. (The reference code leaves align_corners unset, which modern
/// PyTorch treats as false and which shifts every sample by half a pixel relative to the geometry; the PyTorch 0.4 it
/// was trained with behaved as true, and later work such as ManyDepth sets true explicitly.)
/// </para>
/// </summary>
public static class Reprojection
{
    /// <summary>Added to z before the perspective division, as the reference does.</summary>
    public const double ProjectionEpsilon = 1e-7;

    /// <summary>Homogeneous pixel coordinates [1, 3, H*W]: rows u, v, 1, with u varying fastest.</summary>
    public static Tensor PixelGrid(int width, int height, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var u = arange(width, dtype: ScalarType.Float32, device: device).repeat(height);
        var v = arange(height, dtype: ScalarType.Float32, device: device).repeat_interleave(width);
        var ones = ones_like(u);
        return stack([u, v, ones], 0).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Camera-frame points [B, 4, H*W] (homogeneous) of depth maps [B, 1, H, W] with inverse intrinsics [B, 4, 4]:
    /// depth * K^-1 [u v 1]^T.
    /// </summary>
    public static Tensor Backproject(Tensor depth, Tensor inverseK)
    {
        using var scope = NewDisposeScope();
        var batch = depth.shape[0];
        var height = (int)depth.shape[2];
        var width = (int)depth.shape[3];
        var pix = PixelGrid(width, height, depth.device).expand(batch, 3, height * width);
        var rays = inverseK[.., ..3, ..3].matmul(pix);
        var points = depth.reshape(batch, 1, -1) * rays;
        var ones = TorchSharp.torch.ones(batch, 1, height * width, dtype: points.dtype, device: points.device);
        return cat([points, ones], 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Projects camera points [B, 4, N] with intrinsics K [B, 4, 4] after transform T [B, 4, 4] into normalised
    /// sampling coordinates [B, H, W, 2] in [-1, 1] (x then y; align_corners = true convention).
    /// </summary>
    public static Tensor Project(Tensor points, Tensor k, Tensor transform, int width, int height)
    {
        using var scope = NewDisposeScope();
        var batch = points.shape[0];
        var p = k.matmul(transform)[.., ..3, ..];
        var cam = p.matmul(points);
        var pix = cam[.., ..2, ..] / (cam[.., 2..3, ..] + S(ProjectionEpsilon));
        pix = pix.view(batch, 2, height, width).permute(0, 2, 3, 1);
        var scale = tensor(new float[] { 1f / (width - 1), 1f / (height - 1) }, dtype: pix.dtype, device: pix.device);
        return (((pix * scale) - S(0.5)) * S(2.0)).MoveToOuterDisposeScope();
    }

    /// <summary>Samples <paramref name="source"/> [B, C, H, W] at <paramref name="grid"/> [B, H, W, 2]: bilinear, border padding, align_corners true.</summary>
    public static Tensor Warp(Tensor source, Tensor grid) =>
        functional.grid_sample(source, grid, mode: GridSampleMode.Bilinear, padding_mode: GridSamplePaddingMode.Border, align_corners: true);
}
