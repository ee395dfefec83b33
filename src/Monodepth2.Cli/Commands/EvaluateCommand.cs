using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Monodepth2.Data;
using Monodepth2.Evaluation;
using Monodepth2.Networks;
using Monodepth2.Weights;

namespace Monodepth2.Cli.Commands;

/// <summary><c>monodepth2 evaluate</c>: the reference depth evaluation of a model folder on a split with ground truth.</summary>
public static class EvaluateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model folder to evaluate.", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "Dataset root (KITTI raw layout with proj_depth/groundtruth).", Required = true };
        var split = new Option<FileInfo?>("--split") { Description = "Split file (default <data>/splits/test_files.txt)." };
        var layers = new Option<int>("--num-layers") { Description = "ResNet depth of the model.", DefaultValueFactory = _ => 18 };
        var json = new Option<FileInfo?>("--json") { Description = "Write every metric and the settings to this JSON file." };
        var command = new Command("evaluate", "Evaluate a model's depth against ground truth (median scaling for mono models, x5.4 for stereo).")
        {
            model, data, split, layers, json,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var folder = parse.GetValue(model)!.FullName;
            using var networks = new MonodepthNetworks(new NetworkOptions(parse.GetValue(layers)), withPose: false);
            var info = ModelFolder.Load(folder, networks, loadPose: false);
            var options = new DatasetOptions { Width = info.Width, Height = info.Height, FrameIds = [0], Augment = false };
            var dataset = DatasetFactory.Create(DataLayout.KittiRaw, parse.GetValue(data)!.FullName, parse.GetValue(split)?.FullName, "test_files.txt", options, loadGroundTruth: true);
            var scaling = info.UseStereo ? DepthScaling.Stereo : DepthScaling.Mono;
            var result = DepthEvaluator.Evaluate(networks, dataset, scaling);
            Console.WriteLine(Table(result, scaling));
            if (parse.GetValue(json) is { } file)
            {
                var payload = new
                {
                    model = folder, images = result.Images, median_scaling = scaling.MedianScaling, scale_factor = scaling.ScaleFactor,
                    ratio_mean = result.RatioMean, ratio_std = result.RatioStd,
                    metrics = DepthMetrics.Names.Zip(result.Mean.Values).ToDictionary(p => p.First, p => p.Second),
                };
                AtomicFile.WriteAllText(file.FullName, JsonSerializer.Serialize(payload, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"Wrote {file.FullName}");
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The reference's metric table.</summary>
    public static string Table(DepthEvaluationResult result, DepthScaling scaling)
    {
        var lines = new List<string>();
        if (scaling.MedianScaling)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $" Scaling ratios | med: {result.RatioMean:F3} | std: {result.RatioStd:F3}"));
        }

        lines.Add("  " + string.Join(" | ", DepthMetrics.Names.Select(n => n.PadLeft(8))));
        lines.Add(string.Join(string.Empty, result.Mean.Values.Select(v => string.Create(CultureInfo.InvariantCulture, $"&{v,8:F3}  "))) + "\\\\");
        lines.Add($"({result.Images} images)");
        return string.Join(Environment.NewLine, lines);
    }
}
