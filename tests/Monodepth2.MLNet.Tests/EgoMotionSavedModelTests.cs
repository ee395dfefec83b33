using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.Weights;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Monodepth2.MLNet.Tests;

/// <summary>
/// A fitted EstimateEgoMotion pipeline saved with <c>mlContext.Model.Save</c> scores the same in a program that references
/// only stock ML.NET packages (tests/SavedModelScorer) as in process.
/// </summary>
public sealed class EgoMotionSavedModelTests(TrainedDepthModel fixture, ITestOutputHelper output) : TorchTestBase, IClassFixture<TrainedDepthModel>
{
    [Fact]
    public void SavedEgoMotionModelScoresTheSameInAProgramWithOnlyStockMLNet()
    {
        // The fixture's model after 3 steps gives near-identity poses; scale the pose decoder's last convolution so that
        // rotations and translations are far from zero and a wrong axis, sign or order shows.
        var folder = Path.Combine(fixture.Root, "pose-perturbed-" + Guid.NewGuid().ToString("N")[..6]);
        using (var loaded = ModelFolder.Load(fixture.Depth.ModelFolder!, withPose: true))
        {
            using (var noGrad = no_grad())
            {
                var pose = loaded.Networks.NamedModules.Last(m => m.Name == "pose").Module;
                foreach (var (_, p) in pose.named_parameters().Where(p => p.name.StartsWith("net.3.", StringComparison.Ordinal)))
                {
                    p.mul_(300);
                }
            }

            ModelFolder.Save(folder, loaded.Networks, loaded.Info);
        }

        var ml = new MLContext();
        var images = fixture.TestImages;
        var pairs = new[] { (images[0], images[1]), (images[1], images[3]), (images[4], images[2]) }
            .Select(p => new EgoMotionTests.PairRow { First = p.Item1, Second = p.Item2 }).ToList();
        var data = ml.Data.LoadFromEnumerable(pairs);
        var pipeline = ml.Transforms.LoadImages("Image0", null, nameof(EgoMotionTests.PairRow.First))
            .Append(ml.Transforms.LoadImages("Image1", null, nameof(EgoMotionTests.PairRow.Second)))
            .Append(ml.Transforms.EstimateEgoMotion("Pose", "Image0", "Image1", folder));
        using var model = pipeline.Fit(data);
        var expected = model.Transform(data).GetColumn<VBuffer<float>>("Pose").Select(v => v.DenseValues().ToArray()).ToList();
        var farthest = expected.Max(p => Enumerable.Range(0, 12).Max(i => Math.Abs(p[i] - (i % 5 == 0 ? 1 : 0))));
        output.WriteLine($"largest departure from the identity (rotation and translation entries): {farthest:F3}");
        Assert.True(farthest > 0.05, $"the poses are trivial (largest departure from the identity {farthest})");

        var zip = Path.Combine(folder, "pose.zip");
        ml.Model.Save(model, data.Schema, zip);
        var outFile = Path.Combine(folder, "scored.bin");
        var (exit, log) = SavedModelScorerProcess.Run([zip, "First,Second", "Pose", outFile, .. pairs.SelectMany(p => new[] { p.First, p.Second })]);
        output.WriteLine(log);
        Assert.True(exit == 0, $"SavedModelScorer exited {exit}: {log}");
        using var reader = new BinaryReader(File.OpenRead(outFile));
        Assert.Equal(pairs.Count, reader.ReadInt32());
        for (var i = 0; i < pairs.Count; i++)
        {
            var n = reader.ReadInt32();
            Assert.Equal(16, n);
            var values = Enumerable.Range(0, n).Select(_ => reader.ReadSingle()).ToArray();
            var scale = expected[i].Max(Math.Abs);
            var worst = values.Zip(expected[i], (a, b) => Math.Abs(a - b)).Max() / scale;
            output.WriteLine($"pair {i}: other process {string.Join(", ", values.Take(4))} ... in process {string.Join(", ", expected[i].Take(4))}; worst difference {worst:E2} of the largest entry");
            Assert.True(worst <= 1e-4, $"pair {i}: the other process's transform differs by {worst} (relative to the largest entry)");
        }
    }
}
