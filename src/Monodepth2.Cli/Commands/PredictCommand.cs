using System.CommandLine;
using System.Globalization;
using Monodepth2.Evaluation;
using Monodepth2.Geometry;
using Monodepth2.Imaging;
using Monodepth2.Inference;

namespace Monodepth2.Cli.Commands;

/// <summary>
/// <c>monodepth2 predict</c>: depth for image files, folders or globs. Writes per image a magma disparity picture
/// (<c>_disp.png</c>), the disparity as NumPy (<c>_disp.npy</c>, H x W at the image's size), metric depth for metric (stereo or velocity-supervised)
/// models and with <c>--camera-height</c> (<c>_depth.npy</c>, metres) and, with <c>--intrinsics</c>, a coloured point cloud (<c>.ply</c>).
/// </summary>
public static class PredictCommand
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model folder (encoder.pth, depth.pth).", Required = true };
        var inputs = new Argument<string[]>("inputs") { Description = "Image files, folders (their jpg/png files) or globs such as 'frames/*.png'.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: next to each image)." };
        var intrinsics = new Option<double[]?>("--intrinsics") { Description = "Normalised fx fy cx cy (e.g. 0.58 1.92 0.5 0.5): also write a point cloud (.ply); used by --camera-height.", AllowMultipleArgumentsPerToken = true };
        var cameraHeight = new Option<double?>("--camera-height")
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Camera height above a flat road in metres (KITTI: {GroundPlaneOptions.KittiCameraHeight}): rescale each image's depth so the road plane fitted in the lower image lies at it, write _depth.npy and print the fit. ") +
                "Uses --intrinsics, else KITTI's normalised intrinsics. Images without a plane keep unscaled depth, with a warning.",
        };
        var command = new Command("predict", "Predict depth for images: colour-mapped picture, disparity .npy, metric depth for stereo models, optional point cloud.")
        {
            model, inputs, output, intrinsics, cameraHeight,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var k = parse.GetValue(intrinsics) is { Length: > 0 } values
                ? values.Length == 4 ? new Intrinsics(values[0], values[1], values[2], values[3]) : throw new ArgumentException("--intrinsics needs four numbers: fx fy cx cy (normalised).")
                : null;
            var files = Expand(parse.GetValue(inputs)!);
            if (files.Count == 0)
            {
                throw new FileNotFoundException($"No images found in: {string.Join(", ", parse.GetValue(inputs)!)}");
            }

            using var predictor = DepthPredictor.Load(parse.GetValue(model)!.FullName);
            if (parse.GetValue(cameraHeight) is { } metres)
            {
                predictor.CameraHeightScaling = new GroundPlaneOptions { CameraHeight = metres, Intrinsics = k ?? Intrinsics.Kitti };
                predictor.CameraHeightScaling.Validate();
            }

            var outFolder = parse.GetValue(output)?.FullName;
            var failed = 0;
            ConsoleProgress.Run("predicting", files.Count, progress =>
            {
                for (var i = 0; i < files.Count; i++)
                {
                    try
                    {
                        PredictOne(predictor, files[i], outFolder, k);
                    }
                    catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or IOException)
                    {
                        failed++;
                        Console.Error.WriteLine($"error: {ex.Message}");
                    }

                    progress.Report(i + 1);
                }

                return 0;
            });
            Console.WriteLine($"Predicted {files.Count - failed} of {files.Count} image(s){(outFolder is null ? string.Empty : " into " + outFolder)}.");
            return failed == 0 ? 0 : CliErrors.BadInput;
        }));
        return command;
    }

    private static void PredictOne(DepthPredictor predictor, string file, string? outFolder, Intrinsics? intrinsics)
    {
        var image = ImageFiles.ReadRgb(file);
        var prediction = predictor.Predict(image);
        var stem = Path.Combine(outFolder ?? Path.GetDirectoryName(Path.GetFullPath(file))!, Path.GetFileNameWithoutExtension(file));
        ImageFiles.WriteRgbPng(Colormap.DisparityToMagma(prediction.Disparity, prediction.Width, prediction.Height), stem + "_disp.png");
        NpyFile.Write(stem + "_disp.npy", NpyArray.FromFloat32(prediction.Disparity, prediction.Height, prediction.Width));
        if (prediction.GroundPlane is { } ground)
        {
            // Never silent: the fit of every image, and a warning when its depth could not be scaled.
            if (ground.Found)
            {
                Console.WriteLine($"{file}: {ground.Describe()}");
            }
            else
            {
                Console.Error.WriteLine($"warning: {file}: {ground.Describe()}{(prediction.IsMetric ? string.Empty : " (_depth.npy is in the model's units, not metres)")}.");
            }
        }

        if (prediction.IsMetric || prediction.GroundPlane is not null)
        {
            NpyFile.Write(stem + "_depth.npy", NpyArray.FromFloat32(prediction.Depth, prediction.Height, prediction.Width));
        }

        if (intrinsics is not null)
        {
            var points = PointCloud.Backproject(prediction.Depth, prediction.Width, prediction.Height, intrinsics, image);
            var units = prediction.GroundPlane is { Found: true } ? "metres (camera-height scaling)"
                : prediction.IsMetric ? "metres (metric model: stereo-trained or velocity-supervised)" : "arbitrary units (monocular model: depth up to scale)";
            PointCloud.WritePly(stem + ".ply", points, string.Create(CultureInfo.InvariantCulture, $"Monodepth2.MLNet point cloud of {Path.GetFileName(file)}, {units}"));
        }
    }

    /// <summary>Files named, images inside folders, and matches of simple globs (* and ? in the file name part).</summary>
    internal static List<string> Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                files.AddRange(Directory.GetFiles(input).Where(IsImage).Order(StringComparer.Ordinal));
            }
            else if (input.IndexOfAny(['*', '?']) >= 0)
            {
                var folder = Path.GetDirectoryName(input);
                folder = string.IsNullOrEmpty(folder) ? "." : folder;
                if (!Directory.Exists(folder))
                {
                    throw new DirectoryNotFoundException($"{folder}: folder of the pattern '{input}' not found.");
                }

                files.AddRange(Directory.GetFiles(folder, Path.GetFileName(input)).Where(IsImage).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(input))
            {
                files.Add(input);
            }
            else
            {
                throw new FileNotFoundException($"{input}: no such file or folder.", input);
            }
        }

        return files;
    }

    private static bool IsImage(string path) => ImageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());
}
