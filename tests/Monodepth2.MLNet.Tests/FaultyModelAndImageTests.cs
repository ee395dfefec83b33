using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.MLNet.Transforms;
using Monodepth2.Training;

namespace Monodepth2.MLNet.Tests;

/// <summary>
/// EstimateDepth and EstimateEgoMotion given a model folder that lacks a file, or data with an unreadable image, during
/// Fit (scoring from a folder, and training) and during Transform: an exception that names the file, never a crash.
/// </summary>
public sealed class FaultyModelAndImageTests(TrainedDepthModel fixture) : TorchTestBase, IClassFixture<TrainedDepthModel>
{
    private string Folder { get; } = Directory.CreateDirectory(Path.Combine(fixture.Root, "faulty-" + Guid.NewGuid().ToString("N")[..6])).FullName;

    [Theory]
    [InlineData("depth", "encoder.pth")]
    [InlineData("depth", "depth.pth")]
    [InlineData("egomotion", "encoder.pth")]
    [InlineData("egomotion", "pose.pth")]
    [InlineData("egomotion", "pose_encoder.pth")]
    public void AModelFolderMissingAFileIsNamedAtFit(string transform, string file)
    {
        var folder = CopyModel(file);
        var missing = Path.Combine(folder, file);
        var ml = new MLContext();
        var e = Assert.ThrowsAny<Exception>(() => Fit(ml, transform, folder));
        Assert.True(e is FileNotFoundException, $"{transform} without {file}: {e}");
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFittedTransformNeedsTheModelFolderNoLonger()
    {
        // The fitted transforms hold their networks as ONNX: a folder emptied after Fit does not break Transform.
        var folder = CopyModel(null);
        var ml = new MLContext();
        var depth = Fit(ml, "depth", folder);
        using var ownDepth = (IDisposable)depth;
        var pose = Fit(ml, "egomotion", folder);
        using var ownPose = (IDisposable)pose;
        var expected = ScoreDepth(depth, fixture.TestImages[0]);
        foreach (var file in Directory.GetFiles(folder))
        {
            File.Delete(file);
        }

        Assert.Equal(expected, ScoreDepth(depth, fixture.TestImages[0]));
        Assert.Equal(16, ScorePose(pose, fixture.TestImages[0], fixture.TestImages[1]).Length);
    }

    [Theory]
    [InlineData("cut.png")]
    [InlineData("cut.jpg")]
    [InlineData("text.png")]
    public void AnUnreadableImageInTransformIsNoCrashAndPredictFilesNamesIt(string name)
    {
        // In a pipeline ML.NET's own LoadImages reads the files (the saved model must stay stock ML.NET): it stops at a
        // non-image with its own managed exception and decodes a truncated file with the missing part grey. PredictFiles
        // reads through the library's reader and names the file.
        var bad = Broken(fixture.TestImages[1], name);
        var ml = new MLContext();
        var depth = Fit(ml, "depth", fixture.Depth.ModelFolder!);
        using var ownDepth = (IDisposable)depth;
        var pose = Fit(ml, "egomotion", fixture.Depth.ModelFolder!);
        using var ownPose = (IDisposable)pose;
        foreach (var score in new Func<float[]>[] { () => ScoreDepth(depth, bad), () => ScorePose(pose, fixture.TestImages[0], bad) })
        {
            try
            {
                Assert.All(score(), v => Assert.True(float.IsFinite(v)));
            }
            catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException or ArgumentException)
            {
            }
        }

        var result = Assert.Single(fixture.Depth.PredictFiles([bad], skipBadImages: true));
        Assert.False(result.Succeeded);
        Assert.Contains(bad, result.Error, StringComparison.Ordinal);
        var thrown = Assert.Throws<InvalidDataException>(() => fixture.Depth.PredictFiles([bad]).ToList());
        Assert.Contains(bad, thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cut.png")]
    [InlineData("cut.jpg")]
    public void AnUnreadableImageIsNamedWhenFitTrains(string name)
    {
        // The fixture's training rows with one frame in the middle of a sequence replaced by a broken file.
        var rows = fixture.Rows.Select(r => new FrameRow { Path = r.Path, Sequence = r.Sequence, Frame = r.Frame }).ToList();
        var bad = Broken(rows[2].Path, name);
        rows[2].Path = bad;
        var ml = new MLContext(seed: 1);
        var options = new DepthEstimatorOptions
        {
            Training = new TrainingOptions
            {
                Height = TrainedDepthModel.Height, Width = TrainedDepthModel.Width, BatchSize = 2, MaxSteps = 1, WeightsInit = WeightsInit.Scratch, TensorBoard = false, Workers = 1,
            },
            RunFolder = Path.Combine(Folder, "run"),
        };
        var pipeline = ml.Transforms.LoadImages("Image", null, nameof(FrameRow.Path)).Append(ml.Transforms.EstimateDepth("Depth", "Image", options));
        var e = Assert.ThrowsAny<Exception>(() => pipeline.Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains(bad, e.ToString(), StringComparison.Ordinal);
    }

    private string CopyModel(string? without)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Folder, "model-" + (without ?? "whole"))).FullName;
        foreach (var file in Directory.GetFiles(fixture.Depth.ModelFolder!).Where(f => Path.GetFileName(f) != without))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }

    private string Broken(string source, string name)
    {
        var path = Path.Combine(Folder, name);
        if (name.StartsWith("text", StringComparison.Ordinal))
        {
            File.WriteAllText(path, "not an image at all");
            return path;
        }

        if (name.EndsWith(".jpg", StringComparison.Ordinal))
        {
            Monodepth2.Imaging.ImageFiles.WriteRgbJpeg(Monodepth2.Imaging.ImageFiles.ReadRgb(source), path);
        }
        else
        {
            File.Copy(source, path);
        }

        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        return path;
    }

    private static ITransformer Fit(MLContext ml, string transform, string folder) => transform == "depth"
        ? ml.Transforms.LoadImages("Image", null, "First").Append(ml.Transforms.EstimateDepth("Depth", "Image", folder)).Fit(Pairs(ml, "x", "x"))
        : ml.Transforms.LoadImages("Image0", null, "First").Append(ml.Transforms.LoadImages("Image1", null, "Second"))
            .Append(ml.Transforms.EstimateEgoMotion("Pose", "Image0", "Image1", folder)).Fit(Pairs(ml, "x", "x"));

    private static IDataView Pairs(MLContext ml, string first, string second) =>
        ml.Data.LoadFromEnumerable(new[] { new EgoMotionTests.PairRow { First = first, Second = second } });

    private static float[] ScoreDepth(ITransformer model, string image) =>
        model.Transform(Pairs(new MLContext(), image, image)).GetColumn<VBuffer<float>>("Depth").Single().DenseValues().ToArray();

    private static float[] ScorePose(ITransformer model, string first, string second) =>
        model.Transform(Pairs(new MLContext(), first, second)).GetColumn<VBuffer<float>>("Pose").Single().DenseValues().ToArray();
}
