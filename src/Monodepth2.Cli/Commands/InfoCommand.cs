using System.CommandLine;
using System.Globalization;
using Monodepth2.Weights;

namespace Monodepth2.Cli.Commands;

/// <summary><c>monodepth2 info</c>: what a model folder holds.</summary>
public static class InfoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "A model folder (encoder.pth, depth.pth, ...), an ML.NET model zip or an ONNX file." };
        var command = new Command("info", "Show what a model folder, ML.NET zip or ONNX file holds: networks, parameters, resolution, modality, columns.") { model };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var folder = Path.GetFullPath(parse.GetValue(model)!);
            if (File.Exists(folder))
            {
                return Path.GetExtension(folder).Equals(".onnx", StringComparison.OrdinalIgnoreCase) ? ModelFileInfo.Onnx(folder) : ModelFileInfo.MLNetZip(folder);
            }

            if (!Directory.Exists(folder))
            {
                throw new DirectoryNotFoundException($"{folder}: no model folder, zip or ONNX file there.");
            }

            TorchRuntime.EnsureLoaded();

            var info = ModelFolder.ReadInfo(folder);
            Console.WriteLine($"model folder   {folder}");
            foreach (var (name, value) in info.Describe())
            {
                Console.WriteLine($"{name,-14} {value}");
            }

            foreach (var file in new[] { "encoder.pth", "depth.pth", "pose_encoder.pth", "pose.pth", "adam.pth" })
            {
                var path = Path.Combine(folder, file);
                if (!File.Exists(path))
                {
                    continue;
                }

                if (file == "adam.pth")
                {
                    Console.WriteLine($"{file,-16} optimiser state ({new FileInfo(path).Length / 1048576.0:F1} MB)");
                    continue;
                }

                using var dict = StateDictFile.Read(path);
                var parameters = dict.Tensors.Where(kv => !kv.Key.Contains("running_", StringComparison.Ordinal) && !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal) && !ModuleWeights.IsIgnoredReferenceKey(kv.Key))
                    .Sum(kv => kv.Value.numel());
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file,-16} {parameters,12:N0} parameters"));
            }

            return 0;
        }));
        return command;
    }
}
