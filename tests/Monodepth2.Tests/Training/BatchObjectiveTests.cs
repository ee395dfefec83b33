using Monodepth2.Data;
using Monodepth2.Geometry;
using Monodepth2.Losses;
using Monodepth2.Networks;
using Monodepth2.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Tests.Training;

/// <summary>The training objective's use of the pose networks.</summary>
public sealed class BatchObjectiveTests : TorchTestBase
{
    private const int H = 64;
    private const int W = 64;

    /// <summary>Depth at which a sideways step of 0.5 moves every pixel by exactly 2 columns (fx = 0.58 W).</summary>
    private const double TwoPixelDepth = 0.58 * W * 0.5 / 2;

    private static Tensor[] Pyramid(Tensor image) =>
        Enumerable.Range(0, 4).Select(s => s == 0 ? image : functional.interpolate(image, size: [H >> s, W >> s], mode: InterpolationMode.Area)).ToArray();

    [Fact]
    public void PoseCnnTranslationIsMultipliedByTheMeanInverseDepthBeforeWarping()
    {
        // The next frame is the target seen from 0.5 units to the right at constant depth D = TwoPixelDepth. The depth
        // decoder is set to output D everywhere and the PoseCNN to output the raw translation (-0.5 D, 0, 0): only when
        // it is multiplied by mean(1 / depth) = 1 / D (the reference) does the warp explain the frame.
        using var scope = NewDisposeScope();
        using var networks = new MonodepthNetworks(new NetworkOptions(Scales: [0], PoseKind: PoseNetworkKind.PoseCnn));
        var sigmoid = ((1 / TwoPixelDepth) - 0.01) / (10 - 0.01);
        var rawTranslation = -0.5 * TwoPixelDepth;
        using (no_grad())
        {
            foreach (var (name, p) in networks.Decoder.named_parameters())
            {
                _ = name.EndsWith(".weight", StringComparison.Ordinal) ? p.zero_() : p.fill_(Math.Log(sigmoid / (1 - sigmoid)));
            }

            var cnn = networks.Pose!.Cnn!.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            cnn["pose_conv.weight"].zero_();
            cnn["pose_conv.bias"].zero_();
            cnn["pose_conv.bias"][3] = tensor((float)(rawTranslation / 0.01));   // output = 0.01 x mean over the map
        }

        var wide = rand(1, 3, H, W + 2);
        var target = wide[.., .., .., ..W].contiguous();
        var next = wide[.., .., .., 2..].contiguous();
        FrameId[] frames = [FrameId.Target, FrameId.Temporal(1)];
        using var batch = new Batch(
            [0],
            frames,
            new Dictionary<FrameId, Tensor> { [frames[0]] = target, [frames[1]] = next },
            new Dictionary<FrameId, IReadOnlyList<Tensor>> { [frames[0]] = Pyramid(target), [frames[1]] = Pyramid(next) },
            Enumerable.Range(0, 4).Select(s => Intrinsics.Kitti.ToTensor(W, H, s, 1)).ToArray(),
            Enumerable.Range(0, 4).Select(s => Intrinsics.Kitti.InverseTensor(W, H, s, 1)).ToArray(),
            null,
            null,
            [false]);
        var options = new LossOptions { Scales = [0], UseAutoMasking = false, SmoothnessWeight = 0 };
        networks.Pose.Train(false);
        var total = Scalar(new BatchObjective(networks, options, frames).Compute(batch).Total);

        Tensor Sideways(double tx)
        {
            var t = eye(4).unsqueeze(0).clone();
            t[0, 0, 3] = tensor((float)tx);
            return t;
        }

        var disparity = full(1, 1, H, W, (float)sigmoid);
        double LossWith(Tensor transform) => Scalar(new MonodepthLoss(options).Compute(
            [disparity], new LossInputs(Pyramid(target), [new SourceView(Pyramid(next), transform)], batch.K, batch.InverseK)).Total);
        var right = LossWith(Sideways(-0.5));
        var unscaled = LossWith(Sideways(rawTranslation));
        AssertClose(right, total, 1e-4, "objective with PoseCNN");
        Assert.True(right < 0.05 && unscaled > 5 * right, $"scaled translation {right}, unscaled {unscaled}");
    }
}
