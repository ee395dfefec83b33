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
    public void MinimumSharesCountWhichSourceWonEachPixel()
    {
        // Source A equals the target in the left 6 of 24 columns, source B in the other 18; elsewhere each is noise far
        // from the target. With identity poses and plain L1 (no SSIM window), A wins exactly 1/4 of the pixels, B 3/4.
        using var scope = NewDisposeScope();
        var target = rand(1, 3, H, W) * 0.5;
        var far = target + 0.5;
        var columns = arange(W).view(1, 1, 1, W);
        var a = where(columns < 6, target, far);
        var b = where(columns < 6, far, target);
        var identity = eye(4).unsqueeze(0);
        var options = new LossOptions { Scales = [0], UseAutoMasking = false, SmoothnessWeight = 0, UseSsim = false };
        var shares = new MonodepthLoss(options).Compute([full(1, 1, H, W, 0.3f)], Inputs(target, (a, identity), (b, identity))).MinimumShares!;
        Assert.Equal(new[] { 0f, 0.25f, 0.75f }, shares.data<float>().ToArray());

        // A static scene seen with a predicted motion: the unwarped source (identity, error 0) wins every pixel.
        var masked = new MonodepthLoss(new LossOptions { Scales = [0] })
            .Compute([full(1, 1, H, W, SigmoidFor(TwoPixelDepth))], Inputs(target, (target.clone(), SidewaysTransform(-0.5)))).MinimumShares!;
        Assert.Equal(new[] { 1f, 0f }, masked.data<float>().ToArray());

        // Averaged reprojection has no per-pixel winner.
        Assert.Null(new MonodepthLoss(options with { Reduction = ReprojectionReduction.Average })
            .Compute([full(1, 1, H, W, 0.3f)], Inputs(target, (a, identity), (b, identity))).MinimumShares);
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
    public void NativeResolutionModeWarpsAtEachScaleFullResolutionModeAtTheInputSize()
    {
        // Each pyramid level is its own random image; the source level s is the target level s seen from a camera 0.5
        // units to the right at constant depth d = fx 0.5 / 4, i.e. moved by 4 / 2^s columns (4, 2, 1 at scales 0..2).
        // L1 only: a target pixel u is explained by source pixel u - shift, except the first `shift` columns, which the
        // border padding fills with source column 0. So the error of level s is, by hand,
        // e(s) = sum over u < shift(s) of mean_c |target(s)[c, v, u] - source(s)[c, v, 0]| / (h w).
        // Native resolution (v1_multiscale): (e(0) + e(1) + e(2)) / 3. Full resolution: each constant disparity is
        // upsampled and warped at level 0, e(0) at every scale.
        using var scope = NewDisposeScope();
        const double fourPixelDepth = 0.58 * W * 0.5 / 4;
        var targets = new Tensor[4];
        var sources = new Tensor[4];
        var expected = new double[3];
        for (var s = 0; s < 4; s++)
        {
            int h = H >> s, w = W >> s, shift = Math.Max(1, 4 >> s);
            var wide = rand(1, 3, h, w + shift);
            targets[s] = wide[.., .., .., ..w].contiguous();
            sources[s] = wide[.., .., .., shift..].contiguous();
            if (s < 3)
            {
                var t = Values(targets[s]);
                var src = Values(sources[s]);
                double sum = 0;
                for (var v = 0; v < h; v++)
                {
                    for (var u = 0; u < shift; u++)
                    {
                        for (var c = 0; c < 3; c++)
                        {
                            sum += Math.Abs(t[(((c * h) + v) * w) + u] - src[((c * h) + v) * w]) / 3;
                        }
                    }
                }

                expected[s] = sum / (h * w);
            }
        }

        var inputs = new LossInputs(
            targets,
            [new SourceView(sources, SidewaysTransform(-0.5))],
            Enumerable.Range(0, 4).Select(s => Intrinsics.Kitti.ToTensor(W, H, s, 1)).ToArray(),
            Enumerable.Range(0, 4).Select(s => Intrinsics.Kitti.InverseTensor(W, H, s, 1)).ToArray());
        Tensor[] disps = [.. Enumerable.Range(0, 3).Select(s => full(1, 1, H >> s, W >> s, SigmoidFor(fourPixelDepth)))];
        var options = new LossOptions { Scales = [0, 1, 2], UseAutoMasking = false, SmoothnessWeight = 0, UseSsim = false };
        var native = new MonodepthLoss(options with { MultiScale = MultiScaleMode.NativeResolution }).Compute(disps, inputs);
        var fullResolution = new MonodepthLoss(options).Compute(disps, inputs);
        for (var s = 0; s < 3; s++)
        {
            AssertClose(expected[s], Scalar(native.PerScale[s]), 1e-5, $"native scale {s}");
            AssertClose(expected[0], Scalar(fullResolution.PerScale[s]), 1e-5, $"full-resolution scale {s}");
        }

        AssertClose(expected.Average(), Scalar(native.Total), 1e-5, "native total");
        AssertClose(expected[0], Scalar(fullResolution.Total), 1e-5, "full-resolution total");
        Assert.True(Math.Abs(expected.Average() - expected[0]) > 1e-3, $"the two modes should differ here: {expected.Average()} vs {expected[0]}");
    }

    [Fact]
    public void DepthScaledPoseMultipliesTheTranslationByTheMeanInverseDepth()
    {
        // PoseCNN (the reference's generate_images_pred): translation x mean(1 / depth) over the scale's depth map.
        // A column ramp of sigmoid disparities; mean(1 / depth) = mean(0.01 + 9.99 sigmoid) computed here by hand. The
        // loss with the depth-scaled pose must equal the loss with the hand-scaled transform, and differ from the
        // unscaled one and from one scaled by 1 / mean(depth).
        using var scope = NewDisposeScope();
        // A static scene whose brightness rises linearly to the right: the error grows with how far a pixel is moved.
        var target = (arange(W, dtype: ScalarType.Float32) / W).reshape(1, 1, 1, W).expand(1, 3, H, W).contiguous();
        var source = target.clone();
        var sigmoids = Enumerable.Range(0, W).Select(x => 0.01f + (0.02f * x)).ToArray();
        var disp = tensor(sigmoids).reshape(1, 1, 1, W).expand(1, 1, H, W).contiguous();
        var meanInverseDepth = sigmoids.Average(sg => 0.01 + (9.99 * sg));
        var meanDepth = sigmoids.Average(sg => 1 / (0.01 + (9.99 * sg)));
        const double raw = 0.05;
        var pose = new PoseParameters(zeros(1, 1, 3), tensor(new float[] { (float)raw, 0, 0 }).reshape(1, 1, 3), Invert: false);
        var options = new LossOptions { Scales = [0], UseAutoMasking = false, SmoothnessWeight = 0 };
        var loss = new MonodepthLoss(options);
        double Total(SourceView view) => Scalar(loss.Compute([disp], Inputs(target, (source, eye(4).unsqueeze(0))) with { Sources = [view] }).Total);
        var sourcePyramid = Pyramid(source);
        var scaled = Total(new SourceView(sourcePyramid, SidewaysTransform(99), pose));   // the transform given is not used
        var byHand = Total(new SourceView(sourcePyramid, SidewaysTransform(raw * meanInverseDepth)));
        var unscaled = Total(new SourceView(sourcePyramid, SidewaysTransform(raw)));
        var byMeanDepth = Total(new SourceView(sourcePyramid, SidewaysTransform(raw / meanDepth)));
        AssertClose(byHand, scaled, 1e-6, "depth-scaled pose");
        Assert.True(Math.Abs(scaled - unscaled) > 1e-3, $"scaled {scaled} vs unscaled {unscaled}");
        Assert.True(Math.Abs(scaled - byMeanDepth) > 1e-3, $"scaled {scaled} vs 1 / mean depth {byMeanDepth}");
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
