using Monodepth2.Onnx;
using Monodepth2.Networks;
using Xunit.Abstractions;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.MLNet.Tests;

/// <summary>
/// The ImageNet import against ONNX Runtime running the packaged ResNet18.onnx on the same photographs (fixtures from
/// OpenCV's sample data, resized to 224 x 224), in eval mode.
/// </summary>
/// <remarks>
/// Measures: relative L2 error ||torch - onnx|| / ||onnx|| (overall agreement in magnitude) and per-channel Pearson
/// correlation over spatial positions (each feature detector responds to the same places; insensitive to the small
/// per-channel offsets that the mean-image approximation causes). With the package's own per-pixel mean image as
/// ONNX preprocessing, the only differences are the two documented approximations of the stem fold (plane means,
/// border padding), which the later layers partly wash out.
/// </remarks>
public sealed class ImageNetResNet18InitializerTests(ITestOutputHelper output) : TorchTestBase
{
    private static readonly string[] Photos = ["aloeL-224.jpg", "building-224.jpg", "fruits-224.jpg"];

    private static readonly Lazy<ResnetEncoder> Imported = new(() =>
    {
        var encoder = new ResnetEncoder(18, 1);
        new ImageNetResNet18Initializer().Initialize(encoder, null);
        encoder.eval();
        return encoder;
    });

    private static OnnxReference Onnx => OnnxReference.Instance;

    [Fact]
    public void PackagedModelIsNextToTheAssembly()
    {
        Assert.True(File.Exists(ImageNetResNet18Initializer.DefaultModelPath), ImageNetResNet18Initializer.DefaultModelPath);
        Assert.Equal("CNTK", Onnx.Model.ProducerName);
        Assert.Equal(8, Onnx.Model.OpsetVersion);
    }

    [Fact]
    public void PlaneMeansAreThoseOfThePreprocessingMeanImage()
    {
        const int plane = OnnxReference.Size * OnnxReference.Size;
        for (var c = 0; c < 3; c++)
        {
            var mean = Onnx.MeanImageBgr.AsSpan(c * plane, plane).ToArray().Average(v => (double)v);
            Assert.InRange(ImageNetResNet18Initializer.BgrPlaneMeans[c] - mean, -1e-3, 1e-3);
        }
    }

    [Fact]
    public void DepthEncoderFeaturesMatchOnnxRuntimeOnPhotographs()
    {
        var encoder = Imported.Value;
        foreach (var photo in Photos)
        {
            var rgb = OnnxReference.LoadRgb01(FixturePath(photo));
            var reference = Onnx.Run(Onnx.OnnxInput(rgb, planeMeans: false), OnnxReference.Stem, OnnxReference.Layer1, OnnxReference.Layer2, OnnxReference.Layer3, OnnxReference.Layer4TwoBlocks);
            var features = Features(encoder, rgb);
            string[] names = [OnnxReference.Stem, OnnxReference.Layer1, OnnxReference.Layer2, OnnxReference.Layer3, OnnxReference.Layer4TwoBlocks];
            for (var level = 0; level < 5; level++)
            {
                var channels = (int)encoder.NumChannels[level];
                var rel = FeatureComparison.RelativeL2(features[level], reference[names[level]]);
                var (mean, min, _) = FeatureComparison.PerChannelPearson(features[level], reference[names[level]], channels);
                var pearson = FeatureComparison.Pearson(features[level], reference[names[level]]);
                output.WriteLine($"{photo} level {level}: relative L2 {rel:P2}, Pearson {pearson:F5}, per-channel Pearson mean {mean:F4} min {min:F4}");

                // Thresholds sit above the measured spread of the two stem approximations (layer3: relative L2 3.5-5.1 %,
                // Pearson >= 0.998) and far below a wrong import (BGR/RGB swapped: layer3 relative L2 42 %, Pearson 0.88).
                Assert.True(rel < 0.08, $"{photo} level {level}: relative L2 {rel:P2}");
                Assert.True(pearson > 0.997, $"{photo} level {level}: Pearson {pearson:F5}");
                // The stem and the last stage have nearly silent channels whose correlation is noise: mean 0.966 and
                // min 0.0 at the stem (aloeL), min 0.62 in layer4 (building).
                Assert.True(mean > (level == 0 ? 0.95 : 0.99), $"{photo} level {level}: mean per-channel Pearson {mean:F4}");
                if (level is >= 1 and <= 3)
                {
                    Assert.True(min > 0.9, $"{photo} level {level}: min per-channel Pearson {min:F4}");
                }
            }
        }
    }

    [Fact]
    public void MeasuredApproximations()
    {
        var encoder = Imported.Value;
        using var skipMiddle = new ResnetEncoder(18, 1);
        new ImageNetResNet18Initializer(null, [0, 2]).Initialize(skipMiddle, null);
        skipMiddle.eval();
        const int n = OnnxReference.Size / 2;
        foreach (var photo in Photos)
        {
            var rgb = OnnxReference.LoadRgb01(FixturePath(photo));
            var features = Features(encoder, rgb);

            // (1) Plane means instead of the per-pixel mean image, and (2) zero padding of the normalised input.
            var planeInput = Onnx.Run(Onnx.OnnxInput(rgb, planeMeans: true), OnnxReference.Stem, OnnxReference.Layer3, OnnxReference.Layer4TwoBlocks, OnnxReference.Layer4Full);
            var pixelInput = Onnx.Run(Onnx.OnnxInput(rgb, planeMeans: false), OnnxReference.Stem, OnnxReference.Layer3, OnnxReference.Layer4TwoBlocks, OnnxReference.Layer4Full);
            static bool Border(int y, int x) => y < 2 || x < 2 || y >= n - 1 || x >= n - 1; // outputs whose 7x7 window reaches the padding
            var interiorPlane = FeatureComparison.RelativeL2Where(features[0], planeInput[OnnxReference.Stem], 64, n, n, (y, x) => !Border(y, x));
            var borderPlane = FeatureComparison.RelativeL2Where(features[0], planeInput[OnnxReference.Stem], 64, n, n, Border);
            var interiorPixel = FeatureComparison.RelativeL2Where(features[0], pixelInput[OnnxReference.Stem], 64, n, n, (y, x) => !Border(y, x));
            var borderPixel = FeatureComparison.RelativeL2Where(features[0], pixelInput[OnnxReference.Stem], 64, n, n, Border);
            output.WriteLine($"{photo} stem vs ONNX with plane means: interior {interiorPlane:E2}, border ring {borderPlane:P2}; with the mean image: interior {interiorPixel:P2}, border ring {borderPixel:P2}");
            output.WriteLine($"{photo} layer3 vs ONNX with plane means {FeatureComparison.RelativeL2(features[3], planeInput[OnnxReference.Layer3]):P3}, with the mean image {FeatureComparison.RelativeL2(features[3], pixelInput[OnnxReference.Layer3]):P2}");

            // Padding geometry and the fold itself are exact away from the border; the border alone costs little by layer3.
            Assert.True(interiorPlane < 1e-4, $"interior {interiorPlane}");
            Assert.True(FeatureComparison.RelativeL2(features[3], planeInput[OnnxReference.Layer3]) < 0.03);

            // (3) The dropped third block of the last stage.
            var full = pixelInput[OnnxReference.Layer4Full];
            var twoBlocks = pixelInput[OnnxReference.Layer4TwoBlocks];
            var middleSkipped = Features(skipMiddle, rgb)[4];
            foreach (var (name, candidate) in new[] { ("blocks 0,1 (torch)", features[4]), ("blocks 0,1 (ONNX)", twoBlocks), ("blocks 0,2 (torch)", middleSkipped) })
            {
                var (mean, min, _) = FeatureComparison.PerChannelPearson(candidate, full, 512);
                var rel = FeatureComparison.RelativeL2(candidate, full);
                var cosine = FeatureComparison.PooledCosine(candidate, full, 512);
                output.WriteLine($"{photo} layer4 {name} vs full 3-block stage: relative L2 {rel:P1}, per-channel Pearson mean {mean:F3} min {min:F3}, pooled cosine {cosine:F4}");

                // The documented effect of dropping a block (ImageNetResNet18Initializer: relative L2 57-84 %, per-channel
                // Pearson 0.58-0.72, pooled cosine 0.86-0.93): a real difference from the full stage, yet related to it.
                Assert.InRange(rel, 0.45, 0.95);
                Assert.InRange(mean, 0.45, 0.85);
                Assert.InRange(cosine, 0.8, 0.97);
            }

            // The default keeps blocks 0 and 1: our layer4 is the ONNX output after its second block, not the full stage
            // and not the variant that skips the middle block (which the constructor's block choice really selects).
            var toTwoBlocks = FeatureComparison.RelativeL2(features[4], twoBlocks);
            var skippedToTwoBlocks = FeatureComparison.RelativeL2(middleSkipped, twoBlocks);
            output.WriteLine($"{photo} layer4 vs ONNX after two blocks: default {toTwoBlocks:P2}, blocks 0,2 {skippedToTwoBlocks:P1}");
            Assert.True(toTwoBlocks < 0.08, $"{photo}: layer4 vs the ONNX two-block output {toTwoBlocks:P2}");
            Assert.True(skippedToTwoBlocks > 0.3, $"{photo}: skipping the middle block changed layer4 by only {skippedToTwoBlocks:P2}");
        }
    }

    [Fact]
    public void StemPaddingGeometryMatchesCntk()
    {
        // Pad the normalised input explicitly with the value that is 0 in the ONNX input space (so the pad-value
        // approximation is out of the way), once symmetrically (torchvision: 3 on every side) and once like CNTK's
        // pads [3,3,2,2] (3 before, 2 after), then apply the imported conv1/bn1/relu without implicit padding.
        var encoder = Imported.Value;
        var rgb = OnnxReference.LoadRgb01(FixturePath(Photos[0]));
        var reference = Onnx.Run(Onnx.OnnxInput(rgb, planeMeans: true), OnnxReference.Stem)[OnnxReference.Stem];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = (tensor(rgb).reshape(1, 3, OnnxReference.Size, OnnxReference.Size) - ResnetEncoder.InputMean) / ResnetEncoder.InputStd;
        var zeroInOnnxSpace = tensor(ImageNetResNet18Initializer.BgrPlaneMeans.Reverse().Select(m => (float)(((m / 255.0) - ResnetEncoder.InputMean) / ResnetEncoder.InputStd)).ToArray()).reshape(1, 3, 1, 1);
        var weight = ((Module<Tensor, Tensor>)encoder.named_modules().Single(m => m.name == "encoder.conv1").module).get_parameter("weight")!;
        var bn1 = (Module<Tensor, Tensor>)encoder.named_modules().Single(m => m.name == "encoder.bn1").module;
        float[] Stem(long[] pads) =>
            Values(functional.relu(bn1.call(functional.conv2d(functional.pad(z - zeroInOnnxSpace, pads) + zeroInOnnxSpace, weight, strides: [2, 2]))));
        var symmetric = Stem([3, 3, 3, 3]);
        var cntk = Stem([3, 2, 3, 2]); // left, right, top, bottom
        var symmetricError = FeatureComparison.RelativeL2(symmetric, reference);
        var cntkError = FeatureComparison.RelativeL2(cntk, reference);
        var difference = FeatureComparison.RelativeL2(symmetric, cntk);
        output.WriteLine($"stem vs ONNX with explicit zero-in-ONNX-space padding: symmetric 3 {symmetricError:E2}, CNTK [3,3,2,2] {cntkError:E2}; symmetric vs CNTK {difference:E2}");
        Assert.Equal(0.0, difference);
        Assert.True(symmetricError < 1e-5, $"{symmetricError}");
    }

    [Fact]
    public void PoseStemOnTheSameImageTwiceEqualsTheDepthStem()
    {
        using var depth = new ResnetEncoder(18, 1);
        using var pose = new ResnetEncoder(18, 2);
        new ImageNetResNet18Initializer().Initialize(depth, pose);
        depth.eval();
        pose.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var rgb = tensor(OnnxReference.LoadRgb01(FixturePath(Photos[0]))).reshape(1, 3, OnnxReference.Size, OnnxReference.Size);
        var twice = cat([rgb, rgb], 1);
        var conv3 = Conv1(depth).call((rgb - ResnetEncoder.InputMean) / ResnetEncoder.InputStd);
        var conv6 = Conv1(pose).call((twice - ResnetEncoder.InputMean) / ResnetEncoder.InputStd);
        var rel = FeatureComparison.RelativeL2(Values(conv6), Values(conv3));
        output.WriteLine($"pose conv1 vs depth conv1: relative L2 {rel:E2}");
        Assert.True(rel < 1e-5, $"relative L2 {rel}");
        var f3 = depth.call(rgb)[0];
        var f6 = pose.call(twice)[0];
        Assert.True(FeatureComparison.RelativeL2(Values(f6), Values(f3)) < 1e-5);

        // Everything after the stem is the same ImageNet weights in both encoders.
        var depthState = depth.state_dict();
        foreach (var (key, value) in pose.state_dict())
        {
            if (key != "encoder.conv1.weight")
            {
                Assert.True(value.eq(depthState[key]).all().item<bool>(), key);
            }
        }
    }

    [Fact]
    public void MissingFileIsAnErrorNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "ResNet18.onnx");
        var e = Assert.Throws<FileNotFoundException>(() => new ImageNetResNet18Initializer(path).Initialize(new ResnetEncoder(18, 1), null));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptFileIsAnErrorNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [0x0A, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x02]);
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => new ImageNetResNet18Initializer(path).Initialize(new ResnetEncoder(18, 1), null));
            Assert.Contains(path, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OtherOnnxModelIsAnErrorNamingThePath()
    {
        // The package's preprocessing model: valid ONNX, but not a ResNet.
        var path = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(ImageNetResNet18Initializer.DefaultModelPath))!, "ResNetPrepOnnx", "ResNetPreprocess.onnx");
        var e = Assert.Throws<InvalidDataException>(() => new ImageNetResNet18Initializer(path).Initialize(new ResnetEncoder(18, 1), null));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherDepthsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new ImageNetResNet18Initializer().Initialize(new ResnetEncoder(34, 1), null));
        Assert.Contains("ResNet-34", e.Message, StringComparison.Ordinal);
    }

    private static Module<Tensor, Tensor> Conv1(ResnetEncoder encoder) =>
        (Module<Tensor, Tensor>)encoder.named_modules().Single(m => m.name == "encoder.conv1").module;

    private static float[][] Features(ResnetEncoder encoder, float[] rgb01)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(rgb01).reshape(1, 3, OnnxReference.Size, OnnxReference.Size);
        return [.. encoder.call(x).Select(Values)];
    }
}
