using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Monodepth2.Data;
using Monodepth2.Evaluation;
using Monodepth2.Imaging;
using Monodepth2.Weights;

namespace Monodepth2.Cli.Tests;

/// <summary>
/// A model folder is the one description of its model: trained with a non-default depth range and ResNet depth, every
/// path that uses it (predict, evaluate, ONNX export, ML.NET zip, EstimateDepth) gets them from the folder alone and
/// they all give the same depth; an official-layout folder without the new entries gets the reference's defaults.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ModelDescriptionTests : IDisposable
{
    private const double MinDepth = 0.5;
    private const double MaxDepth = 20;
    private readonly string dir = Directory.CreateTempSubdirectory("md2-desc-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string P(params string[] parts) => Path.Combine([dir, .. parts]);

    [Fact]
    public void EveryPathReadsSizeDepthRangeAndLayersFromTheModelFolder()
    {
        var (data, model) = TrainResNet34();
        var image = FirstTestImage(data);

        var info = CliRunner.Run("info", model);
        Assert.True(info.ExitCode == 0, info.Error);
        Assert.Contains("ResNet-34", info.Output, StringComparison.Ordinal);
        Assert.Contains("0.5 .. 20", info.Output, StringComparison.Ordinal);
        Assert.Contains("128x64", info.Output, StringComparison.Ordinal);

        // predict: disparity at the image's size (= the network's here), depth = 1 / disparity for a mono model.
        var predicted = CliRunner.Run("predict", "--model", model, image, "--out", P("pred"));
        Assert.True(predicted.ExitCode == 0, predicted.Error + predicted.Output);
        var reference = NpyFile.Read(P("pred", Path.GetFileNameWithoutExtension(image) + "_disp.npy")).ToFloat32().Select(d => 1f / d).ToArray();
        Assert.Equal(128 * 64, reference.Length);
        AssertInRange(reference, "predict");
        Assert.True(reference.Max() - reference.Min() > 1e-3, "predicted depth is constant: the check below would prove nothing");

        // evaluate: the saved disparities of the first split image are the same prediction.
        var evaluated = CliRunner.Run("evaluate", "--model", model, "--data", data, "--save-pred", P("disp.npy"));
        Assert.True(evaluated.ExitCode == 0, evaluated.Error + evaluated.Output);
        var saved = NpyFile.Read(P("disp.npy"));
        var split = SplitFile.Read(Path.Combine(data, "splits", "test_files.txt"));
        Assert.Equal([split.Count, 64L, 128L], saved.Shape);
        AssertSame(reference, saved.ToFloat32().Take(128 * 64).Select(d => 1f / d).ToArray(), "evaluate --save-pred");

        // export: the ONNX graph and the ML.NET zip.
        var exported = CliRunner.Run("export", "--model", model, "--out", P("export"));
        Assert.True(exported.ExitCode == 0, exported.Error + exported.Output);
        var pixels = ImageFiles.ReadRgb(image);
        using (var session = new InferenceSession(P("export", "depth.onnx")))
        {
            var input = new DenseTensor<float>(pixels.Data, [1, 3, 64, 128]);
            using var outputs = session.Run([NamedOnnxValue.CreateFromTensor("image", input)]);
            AssertSame(reference, outputs.First(o => o.Name == "depth").AsEnumerable<float>().ToArray(), "depth.onnx");
        }

        var ml = new MLContext();
        var files = ml.Data.LoadFromEnumerable([new PathRow { Path = image }]);
        var zip = ml.Model.Load(P("export", "depth.zip"), out _);
        using var ownZip = (IDisposable)zip;
        AssertSame(reference, zip.Transform(files).GetColumn<VBuffer<float>>("Depth").Single().DenseValues().ToArray(), "depth.zip");

        // EstimateDepth from the folder, with no options at all.
        using var fitted = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.EstimateDepth("Depth", "Image", model)).Fit(files);
        Assert.Equal((34, MinDepth, MaxDepth), (fitted.LastTransformer.Model.Networks.Layers, fitted.LastTransformer.MinDepth, fitted.LastTransformer.MaxDepth));
        AssertSame(reference, fitted.Transform(files).GetColumn<VBuffer<float>>("Depth").Single().DenseValues().ToArray(), "EstimateDepth");
    }

    [Fact]
    public void AFolderWithoutTheNewEntriesGetsTheReferencesDefaults()
    {
        var (data, model) = TrainResNet34();
        var official = P("official");
        Directory.CreateDirectory(official);
        foreach (var file in Directory.GetFiles(model, "*.pth").Where(f => Path.GetFileName(f) != "adam.pth"))
        {
            using var dict = StateDictFile.Read(file);
            var extras = dict.Extras.Where(e => e.Key is not ("min_depth" or "max_depth" or "metric"));
            StateDictFile.Write(Path.Combine(official, Path.GetFileName(file)), dict.Tensors, extras);
        }

        using (var encoder = StateDictFile.Read(Path.Combine(official, "encoder.pth")))
        {
            Assert.Equal(["height", "use_stereo", "width"], encoder.Extras.Keys.Order(StringComparer.Ordinal));
        }

        var read = ModelFolder.ReadInfo(official);
        Assert.Equal((128, 64, 0.1, 100.0, 34), (read.Width, read.Height, read.MinDepth, read.MaxDepth, read.Networks.Layers));
        var info = CliRunner.Run("info", official);
        Assert.Contains("0.1 .. 100", info.Output, StringComparison.Ordinal);

        var image = FirstTestImage(data);
        var predicted = CliRunner.Run("predict", "--model", official, image, "--out", P("pred"));
        Assert.True(predicted.ExitCode == 0, predicted.Error + predicted.Output);
        var depth = NpyFile.Read(P("pred", Path.GetFileNameWithoutExtension(image) + "_disp.npy")).ToFloat32().Select(d => 1f / d).ToArray();
        Assert.All(depth, d => Assert.InRange(d, 0.1f * (1 - 1e-5f), 100f * (1 + 1e-5f)));
        // Same weights, other range: the sigmoid output s gives 1 / (1/max + (1/min - 1/max) s), so the depths differ.
        Assert.True(depth.Max() > MaxDepth * 1.01 || depth.Min() < MinDepth * 0.99, "the default range should map the same weights outside [0.5, 20]");

        var exported = CliRunner.Run("export", "--model", official, "--out", P("export"));
        Assert.True(exported.ExitCode == 0, exported.Error + exported.Output);
        var evaluated = CliRunner.Run("evaluate", "--model", official, "--data", data);
        Assert.True(evaluated.ExitCode == 0, evaluated.Error + evaluated.Output);
    }

    private (string Data, string Model) TrainResNet34()
    {
        var data = P("data");
        var synth = CliRunner.Run("synth", data, "--sequences", "3", "--frames", "5", "--width", "128", "--height", "64", "--seed", "4");
        Assert.True(synth.ExitCode == 0, synth.Error + synth.Output);
        var train = CliRunner.Run("train", "--data", data, "--out", P("run"), "--width", "128", "--height", "64", "--batch-size", "2",
            "--weights-init", "Scratch", "--num-layers", "34", "--min-depth", "0.5", "--max-depth", "20", "--max-steps", "2", "--no-tensorboard");
        Assert.True(train.ExitCode == 0, train.Error + train.Output);
        return (data, Path.Combine(P("run"), "models", "weights_last"));
    }

    private static string FirstTestImage(string data)
    {
        var first = SplitFile.Read(Path.Combine(data, "splits", "test_files.txt"))[0];
        return KittiRawDataset.ImagePath(data, first.Folder, first.FrameIndex, first.Side ?? CameraSide.Left, ".png");
    }

    private static void AssertInRange(float[] depth, string what) =>
        Assert.All(depth, d => Assert.True(d >= MinDepth * (1 - 1e-5) && d <= MaxDepth * (1 + 1e-5), $"{what}: depth {d} outside [{MinDepth}, {MaxDepth}]"));

    private static void AssertSame(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        AssertInRange(actual, what);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a) / e).Max();
        Assert.True(worst <= 1e-4, $"{what}: depth differs from predict's by {worst:E2} (relative)");
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }
}
