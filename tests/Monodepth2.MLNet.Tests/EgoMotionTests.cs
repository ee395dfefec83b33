using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.Geometry;
using Monodepth2.Imaging;
using Monodepth2.MLNet.Transforms;
using Monodepth2.Networks;
using Monodepth2.Weights;
using static TorchSharp.torch;

namespace Monodepth2.MLNet.Tests;

/// <summary>EstimateEgoMotion against the TorchSharp pose network, in memory and after save and load.</summary>
public sealed class EgoMotionTests(TrainedDepthModel fixture) : TorchTestBase, IClassFixture<TrainedDepthModel>
{
    /// <summary>
    /// The fixture's model with the pose decoder's last convolution scaled up 300 times (as the ONNX tests do), so that
    /// rotations reach tenths of a radian and translations are far from 0: a briefly trained pose network outputs a
    /// near-identity transform, which any wrong transform close to identity would match within an absolute tolerance.
    /// </summary>
    private string PerturbedPoseModel()
    {
        var folder = Path.Combine(fixture.Root, "pose-perturbed");
        using var networks = new MonodepthNetworks(new NetworkOptions(18), withPose: true);
        var info = ModelFolder.Load(fixture.Depth.ModelFolder!, networks, loadPose: true);
        using (no_grad())
        {
            foreach (var (_, p) in networks.Pose!.Decoder!.named_parameters().Where(p => p.name.StartsWith("net.3.", StringComparison.Ordinal)))
            {
                p.mul_(300);
            }
        }

        ModelFolder.Save(folder, networks, info);
        return folder;
    }

    [Fact]
    public void TransformEqualsThePoseNetworkAndSurvivesSaveAndLoad()
    {
        var modelFolder = PerturbedPoseModel();
        var ml = new MLContext();
        var pairs = fixture.TestImages.Zip(fixture.TestImages.Skip(1), (a, b) => new PairRow { First = a, Second = b }).Take(3).ToList();
        var data = ml.Data.LoadFromEnumerable(pairs);
        var pipeline = ml.Transforms.LoadImages("Image0", null, nameof(PairRow.First))
            .Append(ml.Transforms.LoadImages("Image1", null, nameof(PairRow.Second)))
            .Append(ml.Transforms.EstimateEgoMotion("Pose", "Image0", "Image1", modelFolder, new EgoMotionOptions { TranslationColumnName = "Translation" }));
        using var model = pipeline.Fit(data);
        var scored = model.Transform(data);
        Assert.Equal([1, 4, 4], Assert.IsType<VectorDataViewType>(scored.Schema["Pose"].Type).Dimensions.ToArray());
        var poses = scored.GetColumn<VBuffer<float>>("Pose").Select(v => v.DenseValues().ToArray()).ToList();
        var translations = scored.GetColumn<VBuffer<float>>("Translation").Select(v => v.DenseValues().ToArray()).ToList();

        using var networks = new MonodepthNetworks(new NetworkOptions(18), withPose: true);
        ModelFolder.Load(modelFolder, networks, loadPose: true);
        networks.Train(false);
        double worst = 0;
        var identity = new float[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 };
        for (var i = 0; i < pairs.Count; i++)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var a = ImageFiles.ReadRgb(pairs[i].First);
            var b = ImageFiles.ReadRgb(pairs[i].Second);
            var (axis, translation) = networks.Pose!.PredictPair(tensor(a.Data, [1, 3, a.Height, a.Width]), tensor(b.Data, [1, 3, b.Height, b.Width]));
            var expected = Values(PoseMath.TransformationFromParameters(axis, translation));
            var expectedTranslation = Values(translation);

            // Far from identity, so the comparison below means something.
            var rotationOffIdentity = Enumerable.Range(0, 11).Where(k => k % 4 != 3).Max(k => Math.Abs(expected[k] - identity[k]));
            var translationNorm = Math.Sqrt(expectedTranslation.Sum(t => t * t));
            Assert.True(rotationOffIdentity > 0.05 && translationNorm > 0.1, $"pair {i}: pose too close to identity (rotation {rotationOffIdentity}, |t| {translationNorm})");

            // Relative to each output's magnitude (matrix entries are at most about 1; translations scale with the weights).
            worst = Math.Max(worst, expected.Zip(poses[i], (x, y) => Math.Abs(x - y) / Math.Max(1, Math.Abs(x))).Max());
            worst = Math.Max(worst, expectedTranslation.Zip(translations[i], (x, y) => Math.Abs(x - y) / Math.Max(1e-2, Math.Abs(x))).Max());
            Assert.Equal(1f, poses[i][15], 6);
        }

        Assert.True(worst <= 1e-4, $"pose differs by {worst} (relative)");

        var zip = Path.Combine(fixture.Root, "pose.zip");
        ml.Model.Save(model, data.Schema, zip);
        var loaded = ml.Model.Load(zip, out _);
        try
        {
            var again = loaded.Transform(data).GetColumn<VBuffer<float>>("Pose").Select(v => v.DenseValues().ToArray()).ToList();
            Assert.Equal(poses, again);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public void MissingImageColumnsAreNamed()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new PairRow { First = fixture.TestImages[0], Second = fixture.TestImages[1] } });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.EstimateEgoMotion("Pose", "First", "Second", fixture.Depth.ModelFolder!).Fit(data));
        Assert.Contains("'First'", e.Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => ml.Transforms.EstimateEgoMotion("Pose", "First", "Second", Path.Combine(fixture.Root, "no-such-model")));
    }

    public sealed class PairRow
    {
        public string First { get; set; } = string.Empty;

        public string Second { get; set; } = string.Empty;
    }
}
