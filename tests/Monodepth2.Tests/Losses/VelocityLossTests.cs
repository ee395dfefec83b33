using Monodepth2.Geometry;
using Monodepth2.Losses;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Losses;

/// <summary>The velocity-supervision term on hand-built poses, with expected values worked out by hand.</summary>
public sealed class VelocityLossTests : TorchTestBase
{
    private const int H = 16;
    private const int W = 24;

    private static Tensor[] Pyramid(Tensor image) =>
        Enumerable.Range(0, 4).Select(s => s == 0 ? image : nn.functional.interpolate(image, size: [H >> s, W >> s], mode: InterpolationMode.Area)).ToArray();

    private static LossInputs Inputs(Tensor target, params SourceView[] sources) => new(
        Pyramid(target),
        sources,
        Enumerable.Range(0, 4).Select(s => Intrinsics.Kitti.ToTensor(W, H, s, target.shape[0])).ToArray(),
        Enumerable.Range(0, 4).Select(s => Intrinsics.Kitti.InverseTensor(W, H, s, target.shape[0])).ToArray());

    /// <summary>A transform rotating 90 degrees about y (so the rotation is not the identity) with translation (x, y, z).</summary>
    private static float[] Transform(float x, float y, float z) => [0, 0, 1, x, 0, 1, 0, y, -1, 0, 0, z, 0, 0, 0, 1];

    private static Tensor Transforms(params float[][] perSample) =>
        tensor(perSample.SelectMany(t => t).ToArray(), [perSample.Length, 4, 4]).requires_grad_();

    [Fact]
    public void VelocityTermIsTheMeanAbsoluteNormErrorOverKnownTravel()
    {
        using var scope = NewDisposeScope();
        var target = rand(2, 3, H, W);
        // Source -1: translations (3, 4, 0) and (1, 2, 2), norms 5 and 3, travel 4 and 3.5: errors 1 and 0.5.
        var t1 = Transforms(Transform(3, 4, 0), Transform(1, 2, 2));
        // Source +1: (0, 0, -2) with unknown travel (masked), and (2, 3, 6), norm 7, travel 6: error 1.
        var t2 = Transforms(Transform(0, 0, -2), Transform(2, 3, 6));
        var travel1 = tensor(new[] { 4f, 3.5f });
        var travel2 = tensor(new[] { float.NaN, 6f });
        const double weight = 0.5;
        var loss = new MonodepthLoss(new LossOptions { Scales = [0, 1], UseAutoMasking = false, VelocityWeight = weight });
        var inputs = Inputs(target, new SourceView(Pyramid(rand(2, 3, H, W)), t1, Travel: travel1), new SourceView(Pyramid(rand(2, 3, H, W)), t2, Travel: travel2));
        var result = loss.Compute([full(2, 1, H, W, 0.3f), full(2, 1, H / 2, W / 2, 0.3f)], inputs);

        // Three known (source, sample) pairs: (1 + 0.5 + 1) / 3.
        const double expected = 2.5 / 3;
        Assert.NotNull(result.Velocity);
        AssertClose(expected, Scalar(result.Velocity!), 1e-5, "velocity term");
        var photometric = (Scalar(result.PerScale[0]) + Scalar(result.PerScale[1])) / 2;
        AssertClose(photometric + (weight * expected), Scalar(result.Total), 1e-5, "total = mean over scales + weight x velocity");

        // The expected value tells the right norm from plausible wrong ones: squared norms (25, 9, 49) or per-axis sums (7, 5, 11).
        AssertFarFrom(expected, (21 + 5.5 + 43) / 3.0, "squared norm");
        AssertFarFrom(expected, (3 + 1.5 + 5) / 3.0, "per-axis L1");
        AssertFarFrom(expected, (1 + 0.5 + 1) / 4.0, "unknown travel counted as a zero error");

        // Gradients are finite, and the masked sample receives none from the velocity term.
        result.Velocity!.backward();
        Assert.All(Values(t2.grad!), g => Assert.True(float.IsFinite(g)));
        Assert.All(Values(t2.grad![0]), g => Assert.Equal(0f, g));
        Assert.Contains(Values(t1.grad![0]), g => g != 0);
    }

    [Fact]
    public void PoseCnnIsSupervisedOnTheDepthScaledTranslationItWarpsWith()
    {
        // PoseCNN's translation (0, 0, 1) is multiplied by the mean inverse depth before warping: at a constant depth of
        // 4 m the warp moves 0.25 m, so with a travel of 0.5 m the error is 0.25 (the raw translation would give 0.5).
        using var scope = NewDisposeScope();
        var target = rand(1, 3, H, W);
        var pose = new PoseParameters(zeros(1, 1, 3), tensor(new[] { 0f, 0f, 1f }, [1, 1, 3]), Invert: false);
        var loss = new MonodepthLoss(new LossOptions { Scales = [0], UseAutoMasking = false });
        var source = new SourceView(Pyramid(rand(1, 3, H, W)), pose.ToTransform(), pose, tensor(new[] { 0.5f }));
        var sigmoidFor4m = (float)((0.25 - 0.01) / (10 - 0.01));
        var result = loss.Compute([full(1, 1, H, W, sigmoidFor4m)], Inputs(target, source));
        AssertClose(0.25, Scalar(result.Velocity!), 1e-4, "depth-scaled PoseCNN translation");
    }

    [Fact]
    public void WithoutTravelThereIsNoVelocityTerm()
    {
        using var scope = NewDisposeScope();
        var target = rand(1, 3, H, W);
        var loss = new MonodepthLoss(new LossOptions { Scales = [0], UseAutoMasking = false });
        var result = loss.Compute([full(1, 1, H, W, 0.3f)], Inputs(target, new SourceView(Pyramid(rand(1, 3, H, W)), Transforms(Transform(1, 0, 0)))));
        Assert.Null(result.Velocity);
        AssertClose(Scalar(result.PerScale[0]), Scalar(result.Total), 1e-6, "total");
    }

    private static void AssertFarFrom(double expected, double wrong, string what) =>
        Assert.True(Math.Abs(expected - wrong) > 0.05, $"{what} ({wrong}) would pass as {expected}");
}
