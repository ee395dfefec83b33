using static TorchSharp.torch;
using static Monodepth2.ScalarCache;

namespace Monodepth2.Losses;

/// <summary>Edge-aware disparity smoothness.</summary>
public static class Smoothness
{
    /// <summary>Added to the mean disparity before dividing, as the reference does.</summary>
    public const double MeanEpsilon = 1e-7;

    /// <summary>
    /// mean(|dx d| exp(-mean_c |dx I|)) + mean(|dy d| exp(-mean_c |dy I|)) for disparity [B, 1, H, W] and image
    /// [B, C, H, W] of the same size. Pass a mean-normalised disparity (<see cref="MeanNormalise"/>) as Monodepth2 does.
    /// </summary>
    public static Tensor EdgeAware(Tensor disparity, Tensor image)
    {
        using var scope = NewDisposeScope();
        var gradDispX = (disparity[.., .., .., ..^1] - disparity[.., .., .., 1..]).abs();
        var gradDispY = (disparity[.., .., ..^1, ..] - disparity[.., .., 1.., ..]).abs();
        var gradImgX = (image[.., .., .., ..^1] - image[.., .., .., 1..]).abs().mean([1L], keepdim: true);
        var gradImgY = (image[.., .., ..^1, ..] - image[.., .., 1.., ..]).abs().mean([1L], keepdim: true);
        var loss = (gradDispX * (-gradImgX).exp()).mean() + (gradDispY * (-gradImgY).exp()).mean();
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>d / (mean over H and W of d + 1e-7), per image and channel.</summary>
    public static Tensor MeanNormalise(Tensor disparity)
    {
        using var scope = NewDisposeScope();
        var mean = disparity.mean([2L, 3L], keepdim: true);
        return (disparity / (mean + S(MeanEpsilon))).MoveToOuterDisposeScope();
    }
}
