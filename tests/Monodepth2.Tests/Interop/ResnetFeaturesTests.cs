using System.Globalization;
using Monodepth2.Evaluation;
using Monodepth2.Networks;
using Monodepth2.Weights;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Interop;

/// <summary>Our ResNet-18 encoder computes what torchvision's resnet18 trunk computes in the reference's encoder.</summary>
public sealed class ResnetFeaturesTests : TorchTestBase, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-interop-resnet-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ResnetEncoderFeaturesEqualTorchvisionResnet18()
    {
        PythonOracle.RunJson("resnet_features.py", dir);

        using var encoder = new ResnetEncoder(18, 1);
        var weights = Path.Combine(dir, "encoder.pth");
        using (var dict = StateDictFile.Read(weights))
        {
            ModuleWeights.Load(encoder, dict.Tensors, weights);
        }

        encoder.eval();
        var input = NpyFile.Read(Path.Combine(dir, "input.npy"));
        using var image = tensor(input.Float32!).reshape([.. input.Shape]);
        using var noGrad = no_grad();
        var features = encoder.call(image);
        try
        {
            Assert.Equal(5, features.Length);
            for (var level = 0; level < features.Length; level++)
            {
                var expected = NpyFile.Read(Path.Combine(dir, $"feature{level}.npy"));
                Assert.Equal(expected.Shape, features[level].shape);
                var ours = Values(features[level]);
                var theirs = expected.Float32!;
                var scale = theirs.Max(MathF.Abs);
                var worst = ours.Zip(theirs, (a, b) => MathF.Abs(a - b)).Max();
                Assert.True(scale > 0, $"feature {level} is all zeros: the comparison would prove nothing");
                Assert.True(
                    worst <= 1e-4 * scale,
                    string.Create(CultureInfo.InvariantCulture, $"feature {level}: max |ours - torchvision| = {worst:G4}, max |torchvision| = {scale:G4}"));
            }
        }
        finally
        {
            foreach (var f in features)
            {
                f.Dispose();
            }
        }
    }
}
