using Monodepth2.Geometry;
using Monodepth2.Losses;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Tests.Losses;

public sealed class MonodepthLossTests : TorchTestBase
{
    private const int H = 16;
    private const int W = 24;

    private static Tensor[] Pyramid(Tensor image) =>
        Enumerable.Range(0, 4).Select(s => s == 0 ? image : functional.interpolate(image, size: [H >> s, W >> s], mode: InterpolationMode.Area)).ToArray();

    private static LossInputs Inputs(Tensor target, params (Tensor Image, Tensor Transform)[] sources) => new(
        Pyramid(target),
        sources.Select(s => new SourceView(Pyramid(s.Image), s.Transform)).ToArray(),
        Enumerable.Range(0, 4).Select(s => Intrinsics.Kitti.ToTensor(W, H, s, target.shape[0])).ToArray(),
        Enumerable.Range(0, 4).Select(s => Intrinsics.Kitti.InverseTensor(W, H, s, target.shape[0])).ToArray());

    /// <summary>Sigmoid value whose depth (min 0.1, max 100) is <paramref name="depth"/>.</summary>
    private static float SigmoidFor(double depth) => (float)(((1 / depth) - 0.01) / (10 - 0.01));

    private const double TwoPixelDepth = 0.58 * W * 0.5 / 2;

    private static Tensor SidewaysTransform(double tx)
    {
        var t = eye(4).unsqueeze(0).clone();
        t[0, 0, 3] = tensor((float)tx);
        return t;
    }

    [Fact]
    public void IdenticalSourceWithIdentityPoseAndConstantDisparityGivesZero()
    {
        using var scope = NewDisposeScope();
        var target = rand(1, 3, H, W);
        var loss = new MonodepthLoss(new LossOptions { Scales = [0], UseAutoMasking = false });
        var result = loss.Compute([full(1, 1, H, W, 0.3f)], Inputs(target, (target.clone(), eye(4).unsqueeze(0))));
        AssertClose(0, Scalar(result.Total), 1e-6);
    }

    [Fact]
    public void CorrectDepthAndPoseBeatWrongDepth()
    {
        // The source is the target seen from a camera 0.5 units to the right at constant depth d = fx 0.5 / 2, so every
        // pixel moves by exactly 2 columns (fx = 0.58 W).
        using var scope = NewDisposeScope();
        var wide = rand(1, 3, H, W + 2);
        var target = wide[.., .., .., ..W].contiguous();
        var source = wide[.., .., .., 2..].contiguous();
        var options = new LossOptions { Scales = [0], UseAutoMasking = false, SmoothnessWeight = 0 };
        var loss = new MonodepthLoss(options);
        var inputs = Inputs(target, (source, SidewaysTransform(-0.5)));
        var right = Scalar(loss.Compute([full(1, 1, H, W, SigmoidFor(TwoPixelDepth))], inputs).Total);
        var wrong = Scalar(loss.Compute([full(1, 1, H, W, SigmoidFor(20))], inputs).Total);
        // Only the two left columns (border padding) and their SSIM neighbours carry error with the right depth.
        Assert.True(right < 0.05 && wrong > 5 * right, $"right depth {right}, wrong depth {wrong}");
    }

    [Fact]
    public void AutoMaskingMasksPixelsThatDidNotMove()
    {
        // A static scene (source == target) with a predicted sideways motion: the identity error (0) wins everywhere.
        using var scope = NewDisposeScope();
        var target = rand(1, 3, H, W);
        var loss = new MonodepthLoss(new LossOptions { Scales = [0] });
        var result = loss.Compute([full(1, 1, H, W, SigmoidFor(TwoPixelDepth))], Inputs(target, (target.clone(), SidewaysTransform(-0.5))));
        Assert.NotNull(result.AutoMask);
        Assert.Equal(0f, Scalar(result.AutoMask!.max()));
        AssertClose(0, Scalar(result.Reprojection), 1e-4);
    }

    [Fact]
    public void AutoMaskingKeepsPixelsExplainedByMotion()
    {
        using var scope = NewDisposeScope();
        var wide = rand(1, 3, H, W + 2);
        var target = wide[.., .., .., ..W].contiguous();
        var source = wide[.., .., .., 2..].contiguous();
        var loss = new MonodepthLoss(new LossOptions { Scales = [0] });
        var result = loss.Compute([full(1, 1, H, W, SigmoidFor(TwoPixelDepth))], Inputs(target, (source, SidewaysTransform(-0.5))));
        // Interior pixels (away from the border-padded last columns and SSIM's window) are explained by the warp.
        var interior = result.AutoMask![.., .., 1..^1, 1..^3];
        Assert.Equal(1f, Scalar(interior.min()));
    }

    [Fact]
    public void MinimumReprojectionTakesTheBestSourceAverageTakesTheMean()
    {
        using var scope = NewDisposeScope();
        var target = rand(1, 3, H, W);
        var other = rand(1, 3, H, W);
        var identity = eye(4).unsqueeze(0);
        var disp = full(1, 1, H, W, 0.3f);
        var noMask = new LossOptions { Scales = [0], UseAutoMasking = false, SmoothnessWeight = 0, UseSsim = false };
        var inputs = Inputs(target, (target.clone(), identity), (other, identity));
        var min = Scalar(new MonodepthLoss(noMask).Compute([disp], inputs).Total);
        var avg = Scalar(new MonodepthLoss(noMask with { Reduction = ReprojectionReduction.Average }).Compute([disp], inputs).Total);
        var l1 = Scalar((target - other).abs().mean());
        AssertClose(0, min, 1e-5, "minimum");
        AssertClose(l1 / 2, avg, 1e-5, "average");
    }

    [Fact]
    public void TotalAveragesScalesWithSmoothnessDividedByTwoToTheScale()
    {
        // Perfect reconstruction (identity pose, same image) so only smoothness remains. Scale 1 gets a ramp disparity
        // d = c + 0.01 x on a flat target; its mean-normalised slope is 0.01 / mean(d). Scale 0 is constant.
        using var scope = NewDisposeScope();
        var target = full(1, 3, H, W, 0.5f);
        var ramp = (arange(W / 2, dtype: ScalarType.Float32) * 0.01f + 0.2f).expand(1, 1, H / 2, W / 2).contiguous();
        var meanRamp = 0.2 + (0.01 * ((W / 2) - 1) / 2.0);
        var options = new LossOptions { Scales = [0, 1], UseAutoMasking = false, SmoothnessWeight = 0.5 };
        var result = new MonodepthLoss(options).Compute([full(1, 1, H, W, 0.3f), ramp], Inputs(target, (target.clone(), eye(4).unsqueeze(0))));
        var smooth1 = 0.01 / meanRamp;
        AssertClose(0.5 * smooth1 / 2 / 2, Scalar(result.Total), 1e-5);
        AssertClose(0, Scalar(result.PerScale[0]), 1e-6);
    }

    [Fact]
    public void NativeResolutionModeWarpsAtEachScale()
    {
        using var scope = NewDisposeScope();
        var target = rand(1, 3, H, W);
        var options = new LossOptions { Scales = [0, 1, 2, 3], MultiScale = MultiScaleMode.NativeResolution, UseAutoMasking = false, SmoothnessWeight = 0 };
        Tensor[] disps = [.. Enumerable.Range(0, 4).Select(s => full(1, 1, H >> s, W >> s, 0.3f))];
        var result = new MonodepthLoss(options).Compute(disps, Inputs(target, (target.clone(), eye(4).unsqueeze(0))));
        AssertClose(0, Scalar(result.Total), 1e-6);
    }

    [Fact]
    public void PredictiveMaskWeightsErrorsAndAddsCrossEntropyTowardsOne()
    {
        // One source, L1 only, no smoothness: loss = mean(mask * |diff|) + 0.2 * mean(-ln mask). With a constant mask m
        // that is m * l1 + 0.2 * (-ln m), computed here by hand.
        using var scope = NewDisposeScope();
        var target = rand(1, 3, H, W);
        var other = rand(1, 3, H, W);
        var options = new LossOptions { Scales = [0], UseAutoMasking = false, SmoothnessWeight = 0, UseSsim = false };
        var inputs = Inputs(target, (other, eye(4).unsqueeze(0)));
        const float m = 0.7f;
        var masked = Scalar(new MonodepthLoss(options).Compute([full(1, 1, H, W, 0.3f)], inputs, [full(1, 1, H, W, m)]).Total);
        var l1 = Scalar((target - other).abs().mean());
        AssertClose((m * l1) + (0.2 * -Math.Log(m)), masked, 1e-5);
    }
}
