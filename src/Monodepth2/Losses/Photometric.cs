using static TorchSharp.torch;
using static Monodepth2.ScalarCache;

namespace Monodepth2.Losses;

/// <summary>The photometric reconstruction error pe(a, b) of Monodepth2.</summary>
public static class Photometric
{
    /// <summary>Weight of the SSIM term; the L1 term gets 1 - this.</summary>
    public const double SsimWeight = 0.85;

    /// <summary>
    /// Per-pixel error [B, 1, H, W] between a prediction and a target [B, C, H, W]:
    /// 0.85 mean_c(SSIM term) + 0.15 mean_c |a - b|, or mean_c |a - b| alone without SSIM.
    /// </summary>
    public static Tensor Error(Tensor prediction, Tensor target, bool useSsim = true)
    {
        using var scope = NewDisposeScope();
        var l1 = (target - prediction).abs().mean([1L], keepdim: true);
        if (!useSsim)
        {
            return l1.MoveToOuterDisposeScope();
        }

        var ssim = Ssim.Dissimilarity(prediction, target).mean([1L], keepdim: true);
        return ((ssim * S(SsimWeight)) + (l1 * S(1 - SsimWeight))).MoveToOuterDisposeScope();
    }
}
