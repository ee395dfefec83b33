using System.CommandLine;
using System.Globalization;
using Monodepth2.Onnx;
using Monodepth2.MLNet.Transforms;
using Monodepth2.Weights;

namespace Monodepth2.Cli.Commands;

/// <summary><c>monodepth2 export</c>: a model folder as stand-alone ONNX files and as an ML.NET model zip.</summary>
public static class ExportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model folder (encoder.pth, depth.pth; pose_encoder.pth and pose.pth for the pose export).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for depth.onnx, pose.onnx and depth.zip.", DefaultValueFactory = _ => new DirectoryInfo("export") };
        var format = new Option<string[]>("--format")
        {
            Description = "What to write: onnx (depth.onnx, pose.onnx), mlnet (depth.zip). Default both.", DefaultValueFactory = _ => ["onnx", "mlnet"], AllowMultipleArgumentsPerToken = true,
        };
        format.AcceptOnlyFromAmong("onnx", "mlnet");
        var outputSize = new Option<int[]>("--output-size") { Description = "Depth map size W H (default: the network's input size).", AllowMultipleArgumentsPerToken = true };
        var batch = new Option<int?>("--batch-size") { Description = "Fixed batch size of the ONNX files (default: a symbolic batch dimension); the ML.NET zip scores one image per row." };
        var command = new Command("export", "Export a model folder to ONNX (depth, pose) and to an ML.NET model zip that stock ML.NET loads and scores.")
        {
            model, output, format, outputSize, batch,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var folder = parse.GetValue(model)!.FullName;
            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"{folder}: model folder not found.");
            }

            var size = parse.GetValue(outputSize) ?? [];
            if (size.Length is not (0 or 2) || size.Any(v => v <= 0))
            {
                throw new ArgumentException("--output-size needs two positive numbers: width height.");
            }

            var formats = parse.GetValue(format)!;
            if (parse.GetValue(batch) is not null && !formats.Contains("onnx"))
            {
                throw new ArgumentException("--batch-size applies to the ONNX files only; depth.zip (--format mlnet) always scores one image per row.");
            }

            var outFolder = Directory.CreateDirectory(parse.GetValue(output)!.FullName).FullName;
            using var loaded = ModelFolder.Load(folder, withPose: true);
            var (networks, info, hasPose) = (loaded.Networks, loaded.Info, loaded.Info.HasPose);
            int? outW = size.Length == 2 ? size[0] : null, outH = size.Length == 2 ? size[1] : null;
            if (formats.Contains("onnx"))
            {
                var depthFile = Path.Combine(outFolder, "depth.onnx");
                DepthOnnxExporter.Save(depthFile, networks, info, new DepthOnnxOptions { OutputWidth = outW, OutputHeight = outH, BatchSize = parse.GetValue(batch) });
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Wrote {depthFile}: input \"{DepthOnnxExporter.InputName}\" [N, 3, {info.Height}, {info.Width}] RGB in [0, 1]; outputs \"{DepthOnnxExporter.DisparityOutput}\" and \"{DepthOnnxExporter.DepthOutput}\" [N, 1, {outH ?? info.Height}, {outW ?? info.Width}]."));
                if (hasPose)
                {
                    var poseFile = Path.Combine(outFolder, "pose.onnx");
                    PoseOnnxExporter.Save(poseFile, networks, info, parse.GetValue(batch));
                    Console.WriteLine($"Wrote {poseFile}: inputs \"{PoseOnnxExporter.FirstInput}\", \"{PoseOnnxExporter.SecondInput}\"; outputs \"{PoseOnnxExporter.AxisAngleOutput}\", \"{PoseOnnxExporter.TranslationOutput}\", \"{PoseOnnxExporter.TransformOutput}\" (4x4, first camera to second).");
                }
            }

            if (formats.Contains("mlnet"))
            {
                var zip = Path.Combine(outFolder, "depth.zip");
                var summary = DepthModelZip.Save(folder, zip, new DepthScoringOptions { OutputWidth = outW, OutputHeight = outH });
                Console.WriteLine($"Wrote {zip}: ML.NET model; input column \"{DepthModelZip.PathColumn}\" (image file paths), output \"{DepthModelZip.DepthColumn}\" " +
                                  $"(float vector [1, 1, {summary.OutputHeight}, {summary.OutputWidth}], {(summary.IsStereo ? "metres" : "relative depth")}). " +
                                  "Load with mlContext.Model.Load; needs an ONNX Runtime package.");
            }

            return 0;
        }));
        return command;
    }
}
