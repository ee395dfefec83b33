using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.Data;
using Monodepth2.Data.Synthetic;
using Monodepth2.Evaluation;
using Monodepth2.Imaging;
using Monodepth2.MLNet.Transforms;
using Monodepth2.Training;
using Monodepth2.Weights;

namespace Monodepth2.Cli.Commands;

/// <summary>
/// <c>monodepth2 demo</c>: the whole story on a machine with nothing on it. Generates a small synthetic street world,
/// trains a monocular model for a few minutes from the ImageNet encoder, evaluates it against exact ground truth next
/// to the trivial baseline and the untrained network, saves the model in the reference's format and as an ML.NET model
/// zip, scores the held-out street through the saved ML.NET model (evaluated too), and writes pictures (input,
/// predicted depth, true depth) a person can open.
/// </summary>
public static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the data, model, pictures and report.", DefaultValueFactory = _ => new DirectoryInfo("demo-output") };
        var minutes = new Option<double>("--minutes") { Description = "Training time budget in minutes.", DefaultValueFactory = _ => 5 };
        var maxSteps = new Option<long?>("--max-steps") { Description = "Also stop after this many steps (for quick checks)." };
        var width = new Option<int>("--width") { Description = "Training width (multiple of 32).", DefaultValueFactory = _ => 192 };
        var height = new Option<int>("--height") { Description = "Training height (multiple of 32).", DefaultValueFactory = _ => 64 };
        var sequences = new Option<int>("--sequences") { Description = "Synthetic streets (1 test, 1 val, the rest train).", DefaultValueFactory = _ => 6 };
        var frames = new Option<int>("--frames") { Description = "Frames per street.", DefaultValueFactory = _ => 40 };
        var seed = new Option<int>("--seed") { Description = "Seed of the world and the training.", DefaultValueFactory = _ => 1 };
        var init = new Option<WeightsInit>("--weights-init") { Description = "Depth encoder initialisation: Pretrained (ImageNet ResNet-18) or Scratch.", DefaultValueFactory = _ => WeightsInit.Pretrained };
        var poseInit = new Option<WeightsInit>("--pose-weights-init")
        {
            Description = "Pose encoder initialisation: Scratch (default; the reference's ImageNet pose stem averages the two frames at the start and learns slowly in short runs, see README) or Pretrained.",
            DefaultValueFactory = _ => WeightsInit.Scratch,
        };
        var precision = new Option<TrainingPrecision>("--precision")
        {
            Description = "Auto (default: BFloat16 mixed precision on CPUs with avx512_bf16/amx_bf16, else Float32; see README \"Mixed precision\"), Float32 or BFloat16.",
            DefaultValueFactory = _ => TrainingPrecision.Auto,
        };
        var world = WorldOption.Create("hard");
        var command = new Command("demo", "Generate a synthetic world, train for a few minutes, evaluate against ground truth, save the model and write pictures.")
        {
            output, minutes, maxSteps, width, height, sequences, frames, seed, init, poseInit, world, precision,
        };
        command.SetAction((parse, cancellation) => CliErrors.RunAsync(() => Task.FromResult(Run(
            parse.GetValue(output)!.FullName, parse.GetValue(minutes), parse.GetValue(maxSteps), parse.GetValue(width), parse.GetValue(height),
            new SyntheticWorldOptions { Sequences = parse.GetValue(sequences), FramesPerSequence = parse.GetValue(frames), Seed = parse.GetValue(seed), TestSequences = 1, ValSequences = 1 }
                .WithWorld(parse.GetValue(world)!),
            parse.GetValue(init), parse.GetValue(poseInit), parse.GetValue(precision), cancellation))));
        return command;
    }

    private static int Run(string outFolder, double minutes, long? maxSteps, int width, int height, SyntheticWorldOptions world, WeightsInit init, WeightsInit poseInit,
        TrainingPrecision precision, CancellationToken cancellation)
    {
        var (sequences, frames, seed) = (world.Sequences, world.FramesPerSequence, world.Seed);
        TorchRuntime.EnsureLoaded();
        var total = Stopwatch.StartNew();
        var dataRoot = Path.Combine(outFolder, "data");
        world.Validate();
        Console.WriteLine($"1/6 Rendering {sequences} synthetic streets ({world.WorldName()} world) x {frames} frames at {world.Width}x{world.Height} with exact depth into {dataRoot}");
        ConsoleProgress.Run("rendering", sequences * frames, p =>
        {
            SyntheticDatasetWriter.Write(dataRoot, world, new Progress<int>(n => p.Report(n)));
            return 0;
        });

        var trainEntries = SplitFile.Read(Path.Combine(dataRoot, "splits", "train_files.txt"));
        var testEntries = SplitFile.Read(Path.Combine(dataRoot, "splits", "test_files.txt"));
        var options = new TrainingOptions
        {
            Width = width, Height = height, BatchSize = 4, WeightsInit = init, PoseWeightsInit = poseInit, Workers = 2, Epochs = 1000, Seed = seed,
            ScratchInit = ScratchInit.TorchSharp, // the short-budget recipe: learns faster in a few hundred steps (see ScratchInit)
            MaxDuration = TimeSpan.FromMinutes(minutes), MaxSteps = maxSteps, LogFrequency = 25, Precision = precision,
        };
        var run = Path.Combine(outFolder, "run");
        using var trainer = new Trainer(options, d => new KittiRawDataset(dataRoot, trainEntries, d), run, EncoderInitializers.For(options));
        var train = trainer.Dataset;
        var info = options.Model;
        var test = new KittiRawDataset(dataRoot, testEntries, DepthEvaluator.EvaluationDatasetOptions(info));
        var testGroundTruth = DepthGroundTruth.FromKittiSplit(dataRoot, testEntries);
        DepthEvaluationResult Evaluate() => DepthEvaluator.EvaluateModel(trainer.Networks, info, test, testGroundTruth, DepthEvaluationOptions.Mono).Summary;
        var untrained = Evaluate();

        Console.WriteLine($"2/6 Training a monocular model (depth encoder {init}, pose encoder {poseInit}) on {train.Count} samples at {width}x{height} in {ConsoleProgress.Precision(trainer)} for up to {minutes:F1} min (TensorBoard logs: {Path.Combine(run, "train")})");
        var result = ConsoleProgress.Train(trainer, maxSteps, cancellation);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {result.Steps} steps in {result.Elapsed.TotalMinutes:F1} min ({result.StopReason}); loss {result.LossHistory.Take(10).Average(h => h.Loss):F4} -> {result.LossHistory.TakeLast(10).Average(h => h.Loss):F4}"));

        Console.WriteLine($"3/6 Evaluating on the held-out street ({test.Count} frames, ground truth at {world.Width}x{world.Height}, median scaling)");
        var trained = Evaluate();
        var trainGt = trainEntries.Select(e => ImageFiles.ReadDepthPng(KittiRawDataset.GroundTruthPath(dataRoot, e.Folder, e.FrameIndex, e.Side ?? CameraSide.Left)))
            .Select(t => new DepthMap(t.Depth, t.Width, t.Height));
        var meanDepth = ConstantBaseline.MeanDepth(trainGt);
        var baseline = ConstantBaseline.Evaluate(testGroundTruth, meanDepth, DepthEvaluationOptions.Mono).Summary;
        var modelFolder = Path.Combine(outFolder, "model");
        var zip = Path.Combine(outFolder, "depth.zip");
        Console.WriteLine($"4/6 Saving the model in the reference's format to {modelFolder} and as an ML.NET model to {zip}");
        ModelFolder.Save(modelFolder, trainer.Networks, info);
        DepthModelZip.Save(modelFolder, zip, new DepthScoringOptions { OutputWidth = world.Width, OutputHeight = world.Height });

        Console.WriteLine($"5/6 Scoring the held-out street through the saved ML.NET model (mlContext.Model.Load, stock transforms + ONNX Runtime)");
        var heldOut = testEntries.Select(e => KittiRawDataset.ImagePath(dataRoot, e.Folder, e.FrameIndex, e.Side ?? CameraSide.Left, test.Options.ImageExtension)).ToList();
        var saved = ScoreSavedModel(zip, heldOut);
        // Through the one evaluation path, as disparities (the saved model's depth is at the ground truth's size already).
        var savedDisparities = NpyArray.FromFloat32(saved.SelectMany(d => d.Select(v => 1f / v)).ToArray(), saved.Count, world.Height, world.Width);
        var savedResult = DepthEvaluator.EvaluateDisparities(savedDisparities, testGroundTruth, DepthEvaluationOptions.Mono, "saved ML.NET model").Summary;
        var table = ResultsTable([("constant depth (baseline)", baseline), ("untrained network", untrained), ("trained network", trained), ("saved ML.NET model", savedResult)]);
        Console.WriteLine(table);
        Console.WriteLine("    (the saved ML.NET model resizes with ResizeImages, nearest-neighbour; the library with Lanczos: see README)");

        var pictures = Path.Combine(outFolder, "pictures");
        Console.WriteLine($"6/6 Writing pictures (input | depth from the saved ML.NET model | true depth) to {pictures}");
        foreach (var i in Enumerable.Range(0, test.Count).Where(i => i % Math.Max(1, test.Count / 4) == 0).Take(4))
        {
            var source = ImageFiles.ReadRgb(heldOut[i]);
            var gt = testGroundTruth.Load(i);
            var predicted = saved[i].Select(d => 1f / d).ToArray();
            var trueDisparity = gt.Depth.Select(d => d > 0 ? 1f / d : float.NaN).ToArray();
            var picture = Composite.SideBySide([source, Colormap.DisparityToMagma(predicted, world.Width, world.Height), Colormap.DisparityToMagma(trueDisparity, gt.Width, gt.Height)]);
            ImageFiles.WriteRgbPng(picture, Path.Combine(pictures, $"test_{i:D3}.png"));
        }

        var report = Path.Combine(outFolder, "report.md");
        AtomicFile.WriteAllText(report, $"# Monodepth2.MLNet demo\n\n{result.Steps} training steps, {result.Elapsed.TotalMinutes:F1} min, {width}x{height}, depth encoder {init}, pose encoder {poseInit}.\n\n```\n{table}\n```\n");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {total.Elapsed.TotalMinutes:F1} min. Report: {report}"));
        return result.StopReason == "cancelled" ? CliErrors.Cancelled : 0;
    }

    /// <summary>Depth for each file from the saved zip, loaded the way an application that knows only ML.NET would.</summary>
    private static List<float[]> ScoreSavedModel(string zip, IReadOnlyList<string> files)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(zip, out _);
        try
        {
            var data = ml.Data.LoadFromEnumerable(files.Select(f => new PathRow { Path = f }).ToList());
            // ML.NET reuses each row's buffer: copy the values before the next row.
            return model.Transform(data).GetColumn<VBuffer<float>>(DepthModelZip.DepthColumn).Select(v => v.DenseValues().ToArray()).ToList();
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

    private static string ResultsTable(IReadOnlyList<(string Name, DepthEvaluationResult Result)> rows)
    {
        var header = $"{"",-28}" + string.Concat(DepthMetrics.Names.Select(n => $"{n,9}"));
        var lines = rows.Select(r => $"{r.Name,-28}" + string.Concat(r.Result.Mean.Values.Select(v => string.Create(CultureInfo.InvariantCulture, $"{v,9:F3}"))));
        return string.Join(Environment.NewLine, lines.Prepend(header));
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }
}
