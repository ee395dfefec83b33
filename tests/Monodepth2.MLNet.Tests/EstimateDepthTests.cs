using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.Imaging;
using Monodepth2.Inference;
using Monodepth2.MLNet.Transforms;
using Xunit.Abstractions;

namespace Monodepth2.MLNet.Tests;

/// <summary>
/// EstimateDepth end to end: Fit trains on an IDataView of frames, the fitted transform adds depth, it equals the
/// library's direct prediction, and the saved model scores the same in a process that has only stock ML.NET.
/// </summary>
public sealed class EstimateDepthTests(TrainedDepthModel fixture, ITestOutputHelper output) : TorchTestBase, IClassFixture<TrainedDepthModel>
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void FitTrainsAndReportsThroughMLContextLog()
    {
        var depth = fixture.Depth;
        Assert.NotNull(depth.Training);
        Assert.Equal(TrainedDepthModel.Steps, depth.Training!.Steps);
        Assert.Equal((TrainedDepthModel.Width, TrainedDepthModel.Height), (depth.InputWidth, depth.InputHeight));
        Assert.False(depth.IsStereo);
        Assert.False(depth.IsMetric);
        Assert.Equal(1.0, depth.DepthScale);
        foreach (var file in new[] { "encoder.pth", "depth.pth", "pose_encoder.pth", "pose.pth" })
        {
            Assert.True(File.Exists(Path.Combine(depth.ModelFolder!, file)), file);
        }

        lock (fixture.Log)
        {
            Assert.Contains(fixture.Log, m => m.Contains("Training Mono on", StringComparison.Ordinal));
            Assert.Contains(fixture.Log, m => m.Contains("Training stopped", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void DepthColumnHasTheNetworkShape()
    {
        var scored = fixture.Model.Transform(fixture.PathsView(fixture.TestImages.Take(2)));
        var type = Assert.IsType<VectorDataViewType>(scored.Schema["Depth"].Type);
        Assert.Equal([1, 1, TrainedDepthModel.Height, TrainedDepthModel.Width], type.Dimensions.ToArray());
        Assert.Equal(fixture.Depth.OutputShape, type.Dimensions.ToArray());
        Assert.True(scored.Schema.GetColumnOrNull("Disparity").HasValue);
        Assert.False(scored.Schema.GetColumnOrNull("image").HasValue, "internal columns are dropped");
        foreach (var v in scored.GetColumn<VBuffer<float>>("Depth"))
        {
            Assert.All(v.DenseValues(), d => Assert.True(float.IsFinite(d) && d > 0));
        }
    }

    [Fact]
    public void PipelineDepthEqualsTheLibrarysPrediction()
    {
        // The test frames are at the network's size, so ResizeImages keeps them as they are and both sides see the same pixels.
        var images = fixture.TestImages.Take(3).ToList();
        var scored = fixture.Model.Transform(fixture.PathsView(images));
        var depths = scored.GetColumn<VBuffer<float>>("Depth").Select(v => v.DenseValues().ToArray()).ToList();
        var disparities = scored.GetColumn<VBuffer<float>>("Disparity").Select(v => v.DenseValues().ToArray()).ToList();
        using var predictor = DepthPredictor.Load(fixture.Depth.ModelFolder!);
        double worstDisp = 0, worstRel = 0;
        float[]? previous = null;
        for (var i = 0; i < images.Count; i++)
        {
            var direct = predictor.Predict(ImageFiles.ReadRgb(images[i]));
            worstDisp = Math.Max(worstDisp, direct.Disparity.Zip(disparities[i], (a, b) => Math.Abs(a - b)).Max());
            worstRel = Math.Max(worstRel, direct.Depth.Zip(depths[i], (a, b) => Math.Abs(a - b) / a).Max());

            // Guard against a trivial comparison: the disparity must vary over the image and between images by far more
            // than the tolerance, so a transform that returned a constant or another image's depth would fail.
            var spread = direct.Disparity.Max() - direct.Disparity.Min();
            var change = previous is null ? double.PositiveInfinity : previous.Zip(direct.Disparity, (a, b) => Math.Abs(a - b)).Max();
            output.WriteLine($"{Path.GetFileName(images[i])}: disparity {direct.Disparity.Min():G4} .. {direct.Disparity.Max():G4}, max change from the previous image {change:G3}");
            Assert.True(spread > 100 * Tolerance, $"image {i}: disparity nearly constant (spread {spread})");
            Assert.True(change > 100 * Tolerance, $"image {i}: disparity nearly equal to the previous image's (max change {change})");
            previous = direct.Disparity;
        }

        output.WriteLine($"max |disparity difference| {worstDisp:E2}, max relative depth difference {worstRel:E2}");
        Assert.True(worstDisp <= Tolerance, $"disparity differs by {worstDisp}");
        Assert.True(worstRel <= Tolerance, $"depth differs by {worstRel} (relative)");
    }

    [Fact]
    public void PredictionEngineMatchesTransform()
    {
        var image = fixture.TestImages[1];
        var expected = fixture.Model.Transform(fixture.PathsView([image])).GetColumn<VBuffer<float>>("Depth").Single().DenseValues().ToArray();
        // ML.NET's PredictionEngine disposes the model with itself unless told otherwise.
        using var engine = fixture.Ml.Model.CreatePredictionEngine<FrameRow, DepthRow>(fixture.Model, new PredictionEngineOptions { OwnsTransformer = false });
        var actual = engine.Predict(new FrameRow { Path = image }).Depth;
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void SavedModelScoresTheSameInProcessAndInAProgramWithOnlyStockMLNet()
    {
        var zip = Path.Combine(fixture.Root, "depth.zip");
        fixture.Ml.Model.Save(fixture.Model, fixture.Frames.Schema, zip);
       
        var images = fixture.TestImages.Take(3).ToList();
        var expected = fixture.Model.Transform(fixture.PathsView(images)).GetColumn<VBuffer<float>>("Depth").Select(v => v.DenseValues().ToArray()).ToList();

        var loaded = fixture.Ml.Model.Load(zip, out var schema);
        try
        {
            Assert.NotNull(schema.GetColumnOrNull("Path"));
            var again = loaded.Transform(fixture.PathsView(images)).GetColumn<VBuffer<float>>("Depth").Select(v => v.DenseValues().ToArray()).ToList();
            Assert.Equal(expected, again);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }

        var outFile = Path.Combine(fixture.Root, "scored.bin");
        var (exit, log) = SavedModelScorerProcess.Run([zip, "Path", "Depth", outFile, .. images]);
        output.WriteLine(log);
        Assert.True(exit == 0, $"SavedModelScorer exited {exit}: {log}");
        using var reader = new BinaryReader(File.OpenRead(outFile));
        Assert.Equal(images.Count, reader.ReadInt32());
        for (var i = 0; i < images.Count; i++)
        {
            var n = reader.ReadInt32();
            var values = Enumerable.Range(0, n).Select(_ => reader.ReadSingle()).ToArray();
            var worst = values.Zip(expected[i], (a, b) => Math.Abs(a - b) / b).Max();
            output.WriteLine($"image {i}: other process {string.Join(", ", values.Take(4))} ... in process {string.Join(", ", expected[i].Take(4))}; worst relative difference {worst:E2}");
            Assert.True(worst <= Tolerance, $"image {i}: the other process's depth differs by {worst} (relative)");
        }
    }

    [Fact]
    public void ScoringFromTheModelFolderNeedsNoTraining()
    {
        var ml = new MLContext();
        var pipeline = ml.Transforms.LoadImages("Image", null, "Path")
            .Append(ml.Transforms.EstimateDepth("Depth", "Image", fixture.Depth.ModelFolder!, new DepthScoringOptions { OutputWidth = 64, OutputHeight = 32 }));
        using var model = pipeline.Fit(fixture.PathsView(fixture.TestImages.Take(1)));
        Assert.Null(model.LastTransformer.Training);
        var scored = model.Transform(fixture.PathsView(fixture.TestImages.Take(1)));
        var type = Assert.IsType<VectorDataViewType>(scored.Schema["Depth"].Type);
        Assert.Equal([1, 1, 32, 64], type.Dimensions.ToArray());

        // Depth at another size is the network-size disparity resized bilinearly, as the library does.
        using var predictor = DepthPredictor.Load(fixture.Depth.ModelFolder!);
        var direct = predictor.Predict(ImageFiles.ReadRgb(fixture.TestImages[0]), 64, 32);
        var actual = scored.GetColumn<VBuffer<float>>("Depth").Single().DenseValues().ToArray();
        var worst = direct.Depth.Zip(actual, (a, b) => Math.Abs(a - b) / a).Max();
        Assert.True(worst <= Tolerance, $"resized depth differs by {worst} (relative)");
    }

    [Fact]
    public void DisposingFittedAndLoadedTransformsDeletesTheOnnxFilesTheyWroteToTheTempFolder()
    {
        // Every fit and every load of a saved model writes its network (tens of MB) to MLContext.TempFilePath; CI's disk
        // filled when they stayed there after disposal.
        var temp = Directory.CreateTempSubdirectory("md2-onnx-temp-");
        try
        {
            var ml = new MLContext { TempFilePath = temp.FullName };
            var images = ml.Data.LoadFromEnumerable(fixture.TestImages.Take(1).Select(p => new FrameRow { Path = p }).ToList());
            var pairs = ml.Data.LoadFromEnumerable([new EgoMotionTests.PairRow { First = fixture.TestImages[0], Second = fixture.TestImages[1] }]);
            var depth = ml.Transforms.LoadImages("Image", null, nameof(FrameRow.Path))
                .Append(ml.Transforms.EstimateDepth("Depth", "Image", fixture.Depth.ModelFolder!)).Fit(images);
            var pose = ml.Transforms.LoadImages("Image0", null, nameof(EgoMotionTests.PairRow.First))
                .Append(ml.Transforms.LoadImages("Image1", null, nameof(EgoMotionTests.PairRow.Second)))
                .Append(ml.Transforms.EstimateEgoMotion("Pose", "Image0", "Image1", fixture.Depth.ModelFolder!)).Fit(pairs);
            var zip = Path.Combine(fixture.Root, "temp-test-depth.zip");
            ml.Model.Save(depth, images.Schema, zip);
            var loaded = ml.Model.Load(zip, out _);

            // While they live: one file per network, the bytes of each transform's ONNX model.
            long[] networks = [depth.LastTransformer.GetOnnxModel().Length, pose.LastTransformer.GetOnnxModel().Length, depth.LastTransformer.GetOnnxModel().Length];
            var sizes = temp.GetFiles("*", SearchOption.AllDirectories).Select(f => f.Length).Order().ToArray();
            Assert.Equal(networks.Order().ToArray(), sizes);

            depth.Dispose();
            pose.Dispose();
            ((IDisposable)loaded).Dispose();
            Assert.Empty(temp.GetFileSystemInfos());
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    public sealed class DepthRow
    {
        public float[] Depth { get; set; } = [];
    }
}
