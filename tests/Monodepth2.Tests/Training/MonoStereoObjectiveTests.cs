using Monodepth2.Data;
using Monodepth2.Imaging;
using Monodepth2.Networks;
using Monodepth2.Tests.Data;
using Monodepth2.Training;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Training;

/// <summary>mono+stereo training: the stereo partner is one of the sources of the per-pixel minimum.</summary>
[Collection(TorchCollection.Name)]
public sealed class MonoStereoObjectiveTests : DataFixture
{
    private const int Size = 64;
    private const int Shift = 2;

    public MonoStereoObjectiveTests() => TorchRuntime.EnsureLoaded();

    [Fact]
    public void OnlyTheStereoPartnerExplainsTheTargetAndTheMinimumPicksIt()
    {
        // The right image is the left one moved 2 columns (right[u] = left[u + 2]); the temporal neighbours are
        // unrelated noise, so no pose can explain the target with them. A camera 0.1 units to the right (the training
        // baseline) sees a point at depth d moved by fx 0.1 / d pixels, fx = 0.58 W: at d = 0.58 W 0.1 / 2 by 2 columns.
        var rng = new Random(5);
        var wide = Noise(rng, Size + Shift);
        Write(1, CameraSide.Left, Crop(wide, 0));
        Write(1, CameraSide.Right, Crop(wide, Shift));
        foreach (var frame in new[] { 0, 2 })
        {
            Write(frame, CameraSide.Left, Noise(rng, Size));
            Write(frame, CameraSide.Right, Noise(rng, Size));
        }

        var options = new TrainingOptions { Width = Size, Height = Size, Modality = Modality.MonoStereo, WeightsInit = WeightsInit.Scratch };
        var dataset = new KittiRawDataset(Root, [new SplitEntry(Drive, 1, CameraSide.Left)], options.Data with { Augment = false });
        using var batch = BatchCollator.Collate([dataset.GetSample(0, new Random(0))]);
        using var networks = new MonodepthNetworks(options.Networks, withPose: true);
        var objective = new BatchObjective(networks, options.Loss, options.FrameIds);
        Assert.Contains(FrameId.Stereo, options.FrameIds);

        const double rightDepth = 0.58 * Size * 0.1 / Shift;
        var (right, rightMask) = Reprojection(networks, objective, batch, rightDepth);
        var (wrong, _) = Reprojection(networks, objective, batch, 20);

        // With the stereo frame in the minimum only the two leftmost columns (border padding) and their SSIM
        // neighbours, 3 of 64 columns, can carry error; without it every pixel has noise-against-noise error.
        Assert.True(right < 3.0 / Size, $"reprojection {right} with the depth that aligns the stereo pair");
        Assert.True(wrong > 0.15, $"reprojection {wrong} with a depth that does not align it (the control)");
        Assert.True(rightMask > 0.9, $"auto-mask keeps only {rightMask:P0} of the pixels");
    }

    /// <summary>The objective's reprojection term with every disparity head set to the constant that gives <paramref name="depth"/>.</summary>
    private static (double Reprojection, double MaskMean) Reprojection(MonodepthNetworks networks, BatchObjective objective, Batch batch, double depth)
    {
        using var scope = NewDisposeScope();
        var disparity = ((1 / depth) - 0.01) / (10 - 0.01);    // the sigmoid output for depth in [0.1, 100]
        using (no_grad())
        {
            foreach (var (name, p) in networks.Decoder.named_parameters())
            {
                if (p.shape[0] == 1 && name.EndsWith("weight", StringComparison.Ordinal))
                {
                    p.zero_();
                }
                else if (p.shape[0] == 1)
                {
                    p.fill_(Math.Log(disparity / (1 - disparity)));
                }
            }
        }

        var result = objective.Compute(batch);
        return (result.Reprojection.item<float>(), result.AutoMask!.mean().item<float>());
    }

    private void Write(int frame, CameraSide side, RgbImage image) => ImageFiles.WriteRgbPng(image, KittiRawDataset.ImagePath(Root, Drive, frame, side, ".png"));

    private static RgbImage Noise(Random rng, int width)
    {
        var image = new RgbImage(width, Size);
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image.SetPixel(x, y, rng.Next(256) / 255f, rng.Next(256) / 255f, rng.Next(256) / 255f);
            }
        }

        return image;
    }

    private static RgbImage Crop(RgbImage wide, int from)
    {
        var image = new RgbImage(Size, Size);
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                image.SetPixel(x, y, wide.Data[wide.IndexOf(0, y, x + from)], wide.Data[wide.IndexOf(1, y, x + from)], wide.Data[wide.IndexOf(2, y, x + from)]);
            }
        }

        return image;
    }
}
