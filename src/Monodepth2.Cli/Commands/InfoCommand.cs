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
            Console.WriteLine($"resolution     {info.Width}x{info.Height}");
            Console.WriteLine($"modality       {(info.UseStereo ? "stereo-trained (depth in metres after x5.4)" : "monocular (depth up to scale; median-scale to evaluate)")}");
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
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file,-16} {Describe(file, dict),-34} {parameters,12:N0} parameters"));
            }

            return 0;
        }));
        return command;
    }

    private static string Describe(string file, StateDict dict)
    {
        var keys = dict.Tensors.Keys.ToList();
        switch (file)
        {
            case "encoder.pth" or "pose_encoder.pth":
                var blocks = keys.Where(k => k.StartsWith("encoder.layer3.", StringComparison.Ordinal))
                    .Select(k => int.Parse(k.Split('.')[2], CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max() + 1;
                var bottleneck = keys.Any(k => k.EndsWith("conv3.weight", StringComparison.Ordinal));
                var depth = (blocks, bottleneck) switch { (2, false) => 18, (6, false) => 34, (6, true) => 50, (23, true) => 101, (36, true) => 152, _ => 0 };
                var inputs = dict.Tensors.TryGetValue("encoder.conv1.weight", out var c1) ? c1.shape[1] / 3 : 0;
                return $"ResNet-{depth} encoder, {inputs} image(s) in";
            case "depth.pth":
                var heads = keys.Count(k => k.EndsWith(".conv.weight", StringComparison.Ordinal) && !k.Contains("conv.conv", StringComparison.Ordinal));
                return $"depth decoder, {heads} output scale(s)";
            default:
                return keys.Any(k => k.StartsWith("pose_conv", StringComparison.Ordinal)) ? "PoseCNN" : "pose decoder";
        }
    }
}
