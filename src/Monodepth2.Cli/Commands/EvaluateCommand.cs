using System.CommandLine;
using System.Globalization;
using Monodepth2.Data;
using Monodepth2.Data.Synthetic;
using Monodepth2.Evaluation;
using Monodepth2.Geometry;
using Monodepth2.Weights;

namespace Monodepth2.Cli.Commands;

/// <summary>
/// <c>monodepth2 evaluate</c>: the reference's depth evaluation (a model folder or external disparities against
/// per-image KITTI depth PNGs or a gt_depths.npz), and <c>evaluate pose</c>: ATE over 5-frame snippets.
/// </summary>
public static class EvaluateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<DirectoryInfo?>("--model") { Description = "Model folder to evaluate." };
        var pred = new Option<FileInfo?>("--pred") { Description = "External disparities (.npy, N x H x W float32) to evaluate instead of a model." };
        var data = new Option<DirectoryInfo>("--data") { Description = "Dataset root (KITTI raw layout).", Required = true };
        var split = new Option<FileInfo?>("--split") { Description = "Split file (default <data>/splits/test_files.txt)." };
        var gt = new Option<FileInfo?>("--gt") { Description = "Ground truth as gt_depths.npz (N x H x W) instead of the split's depth PNGs." };
        var eigenCrop = new Option<bool>("--eigen-crop") { Description = "Evaluate inside the Eigen crop only, on ground truth in (1e-3, 80) m (the reference's Eigen protocol); without it every ground truth > 0 counts. Predictions are clamped to [1e-3, 80] either way." };
        var postProcess = new Option<bool>("--post-process") { Description = "Blend with the prediction on the mirrored image." };
        var stereo = new Option<bool?>("--stereo") { Description = "Stereo scaling (no median scaling, x5.4); false: median scaling. Same as --scaling stereo / median." };
        var scalingMode = new Option<string?>("--scaling")
        {
            Description = "How depth is brought to metres: median (per image, from the ground truth), stereo (x5.4), camera-height (per image, road plane at --camera-height) or none. " +
                "Default: the model's own description (stereo for stereo-trained models, none for velocity-supervised ones, else median); median for --pred.",
        };
        scalingMode.CompletionSources.Add("median", "stereo", "camera-height", "none");   // checked in the action: bad input exits with code 2
        var cameraHeight = new Option<double?>("--camera-height")
        {
            Description = string.Create(CultureInfo.InvariantCulture,
                $"Camera height above the road in metres for --scaling camera-height (implies it; default {GroundPlaneOptions.KittiCameraHeight}, KITTI's; the synthetic world's is {new SyntheticWorldOptions().CameraHeight} unless it was generated otherwise). ") +
                "Intrinsics come from <data>/<date>/calib_cam_to_cam.txt when present, else KITTI's.",
        };
        var scaleFactor = new Option<double?>("--scale-factor") { Description = "Multiply predicted depth by this factor (overrides the stereo default)." };
        var savePred = new Option<FileInfo?>("--save-pred") { Description = "Save the predicted disparities as .npy (N x H x W)." };
        var ext = new Option<string>("--ext") { Description = "Image file extension.", DefaultValueFactory = _ => ".png" };
        var json = new Option<FileInfo?>("--json") { Description = "Write every metric and the settings to this JSON file." };
        var baseline = new Option<bool>("--baseline")
        {
            Description = "Evaluate the trivial baseline instead of a model: one constant depth everywhere (the mean ground-truth depth of --baseline-split), median-scaled.",
        };
        var baselineSplit = new Option<FileInfo?>("--baseline-split") { Description = "Split whose ground truth gives the baseline's constant (default <data>/splits/train_files.txt)." };
        var command = new Command("evaluate", "Evaluate depth against ground truth with the reference protocol; 'evaluate pose' for trajectory error.")
        {
            baseline, baselineSplit, model, pred, data, split, gt, eigenCrop, postProcess, stereo, scalingMode, cameraHeight, scaleFactor, savePred, ext, json,
        };
        command.Subcommands.Add(CreatePose());
        command.SetAction(parse => CliErrors.Run(() =>
        {
            var modelFolder = parse.GetValue(model)?.FullName;
            var predFile = parse.GetValue(pred)?.FullName;
            var isBaseline = parse.GetValue(baseline);
            if ((modelFolder is null ? 0 : 1) + (predFile is null ? 0 : 1) + (isBaseline ? 1 : 0) != 1)
            {
                throw new ArgumentException("Give exactly one of --model (a model folder), --pred (disparities .npy) and --baseline.");
            }

            var ignored = new List<string>();
            if (isBaseline)
            {
                // The baseline is median-scaled by definition and has no network to post-process or predictions to save.
                AddIf(ignored, parse.GetValue(stereo) is not null, "--stereo");
                AddIf(ignored, parse.GetValue(scalingMode) is not null, "--scaling");
                AddIf(ignored, parse.GetValue(cameraHeight) is not null, "--camera-height");
                AddIf(ignored, parse.GetValue(scaleFactor) is not null, "--scale-factor");
                AddIf(ignored, parse.GetValue(savePred) is not null, "--save-pred");
            }

            AddIf(ignored, modelFolder is null && parse.GetValue(postProcess), "--post-process");
            if (ignored.Count > 0)
            {
                throw new ArgumentException($"{string.Join(", ", ignored)} cannot be used with {(isBaseline ? "--baseline (a median-scaled constant depth)" : "--pred (external disparities)")}.");
            }

            var root = parse.GetValue(data)!.FullName;
            var splitPath = parse.GetValue(split)?.FullName ?? Path.Combine(root, "splits", "test_files.txt");
            if (!File.Exists(splitPath))
            {
                throw new FileNotFoundException($"{splitPath}: split file not found (pass --split).", splitPath);
            }

            var entries = SplitFile.Read(splitPath);
            var groundTruth = parse.GetValue(gt) is { } npz ? DepthGroundTruth.FromNumpy(npz.FullName) : DepthGroundTruth.FromKittiSplit(root, entries);
            var options = new DepthEvaluationOptions
            {
                EigenCrop = parse.GetValue(eigenCrop), PostProcess = parse.GetValue(postProcess), SavePredictions = parse.GetValue(savePred)?.FullName,
            };

            DepthEvaluationReport report;
            if (modelFolder is not null)
            {
                using var loaded = ModelFolder.Load(modelFolder, withPose: false);
                var info = loaded.Info;
                options = Scaled(options, Mode(parse, DepthEvaluationOptions.DefaultScaling(info)), root, entries, parse);
                var dataset = new KittiRawDataset(root, entries, DepthEvaluator.EvaluationDatasetOptions(info, parse.GetValue(ext)!));
                report = DepthEvaluator.EvaluateModel(loaded.Networks, info, dataset, groundTruth, options, $"{modelFolder} on {splitPath}");
            }
            else if (predFile is not null)
            {
                options = Scaled(options, Mode(parse, DepthScalingMode.Median), root, entries, parse);
                report = DepthEvaluator.EvaluateDisparityFile(predFile, groundTruth, options);
            }
            else
            {
                var trainSplit = parse.GetValue(baselineSplit)?.FullName ?? Path.Combine(root, "splits", "train_files.txt");
                if (!File.Exists(trainSplit))
                {
                    throw new FileNotFoundException($"{trainSplit}: split file for the baseline's mean depth not found (pass --baseline-split).", trainSplit);
                }

                var trainGt = DepthGroundTruth.FromKittiSplit(root, SplitFile.Read(trainSplit));
                var meanDepth = ConstantBaseline.MeanDepth(Enumerable.Range(0, trainGt.Count).Select(trainGt.Load));
                report = ConstantBaseline.Evaluate(groundTruth, meanDepth, options) with
                {
                    Predictions = string.Create(CultureInfo.InvariantCulture, $"constant depth {meanDepth:F3} m (mean of {trainSplit})"),
                };
            }

            WarnMissingPlanes(report);
            Console.WriteLine(report.ToTable());
            if (parse.GetValue(json) is { } file)
            {
                report.WriteJson(file.FullName);
                Console.WriteLine($"Wrote {file.FullName}");
            }

            return 0;
        }));
        return command;
    }

    private static void AddIf(List<string> list, bool condition, string name)
    {
        if (condition)
        {
            list.Add(name);
        }
    }

    /// <summary>--scaling, else --stereo, else --camera-height (implies camera-height scaling), else the default; conflicts are errors.</summary>
    private static DepthScalingMode Mode(ParseResult parse, DepthScalingMode fallback)
    {
        var mode = parse.GetValue<string?>("--scaling") is { } text ? ParseMode(text) : (DepthScalingMode?)null;
        var stereo = parse.GetValue<bool?>("--stereo");
        if (mode is { } m && stereo is { } s && s != (m == DepthScalingMode.Stereo))
        {
            throw new ArgumentException($"--stereo {s.ToString().ToLowerInvariant()} contradicts --scaling {Name(m)}; give one of them.");
        }

        var height = parse.GetValue<double?>("--camera-height");
        mode ??= stereo switch { true => DepthScalingMode.Stereo, false => DepthScalingMode.Median, null => height is null ? fallback : DepthScalingMode.CameraHeight };
        if (height is not null && mode != DepthScalingMode.CameraHeight)
        {
            throw new ArgumentException($"--camera-height is used only with --scaling camera-height (got --scaling {Name(mode.Value)}).");
        }

        if (mode == DepthScalingMode.CameraHeight && parse.GetValue<double?>("--scale-factor") is not null)
        {
            throw new ArgumentException("--scale-factor has no effect with --scaling camera-height: the road plane sets the scale.");
        }

        return mode.Value;
    }

    private static DepthScalingMode ParseMode(string text) => text.ToLowerInvariant() switch
    {
        "median" => DepthScalingMode.Median,
        "stereo" => DepthScalingMode.Stereo,
        "camera-height" or "cameraheight" => DepthScalingMode.CameraHeight,
        "none" => DepthScalingMode.None,
        _ => throw new ArgumentException($"--scaling must be median, stereo, camera-height or none (got '{text}')."),
    };

    private static string Name(DepthScalingMode mode) => mode == DepthScalingMode.CameraHeight ? "camera-height" : mode.ToString().ToLowerInvariant();

    private static DepthEvaluationOptions Scaled(DepthEvaluationOptions options, DepthScalingMode mode, string root, IReadOnlyList<SplitEntry> entries, ParseResult parse)
    {
        var scaled = options.WithScaling(mode, parse.GetValue<double?>("--camera-height") ?? GroundPlaneOptions.KittiCameraHeight);
        if (mode == DepthScalingMode.CameraHeight)
        {
            var calibration = entries.Count > 0 ? KittiCalibration.PathFor(root, entries[0].Folder) : null;
            Console.WriteLine(calibration is not null && File.Exists(calibration)
                ? $"Camera-height scaling at {scaled.CameraHeight} m with the intrinsics of {calibration} (per drive)."
                : $"Camera-height scaling at {scaled.CameraHeight} m with KITTI's normalised intrinsics {Intrinsics.Kitti.Fx} {Intrinsics.Kitti.Fy} {Intrinsics.Kitti.Cx} {Intrinsics.Kitti.Cy} (no calib_cam_to_cam.txt found).");
            return scaled with { ImageIntrinsics = DepthEvaluator.SplitIntrinsics(root, entries) };
        }

        return parse.GetValue<double?>("--scale-factor") is { } f ? scaled with { ScaleFactor = f } : scaled;
    }

    private static void WarnMissingPlanes(DepthEvaluationReport report)
    {
        if (report.GroundPlanes is not { } planes)
        {
            return;
        }

        for (var i = 0; i < planes.Fits.Count; i++)
        {
            if (!planes.Fits[i].Found)
            {
                Console.Error.WriteLine($"warning: image {i}: {planes.Fits[i].Describe()}.");
            }
        }
    }

    private static Command CreatePose()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model folder with pose_encoder.pth and pose.pth.", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "Dataset root.", Required = true };
        var layout = new Option<DataLayout>("--layout") { Description = "KittiRaw (synthetic world) or KittiOdometry.", DefaultValueFactory = _ => DataLayout.KittiRaw };
        var sequence = new Option<string>("--sequence") { Description = "KittiRaw: the drive folder (e.g. 2000_01_01/2000_01_01_drive_0006_sync); KittiOdometry: the sequence number (e.g. 9).", Required = true };
        var poses = new Option<FileInfo?>("--poses") { Description = "Ground-truth poses file (default: <data>/poses/<drive>.txt or <data>/poses/NN.txt)." };
        var ext = new Option<string>("--ext") { Description = "Image file extension.", DefaultValueFactory = _ => ".png" };
        var command = new Command("pose", "Absolute trajectory error of the pose network over 5-frame snippets (the reference's evaluate_pose).")
        {
            model, data, layout, sequence, poses, ext,
        };
        command.SetAction(parse => CliErrors.Run(() =>
        {
            TorchRuntime.EnsureLoaded();
            var root = parse.GetValue(data)!.FullName;
            var seq = parse.GetValue(sequence)!;
            var odometry = parse.GetValue(layout) == DataLayout.KittiOdometry;
            var sequenceNumber = 0;
            if (odometry && !int.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out sequenceNumber))
            {
                throw new ArgumentException($"--sequence '{seq}': with --layout KittiOdometry give the sequence number (e.g. 9).");
            }

            string poseFile;
            if (parse.GetValue(poses) is { } p)
            {
                poseFile = p.FullName;
            }
            else if (odometry)
            {
                poseFile = PoseEvaluator.KittiOdometryPoseFile(root, sequenceNumber);
            }
            else
            {
                var drive = Path.GetFileName(seq.TrimEnd('/'));
                poseFile = Path.Combine(root, "poses", (drive.EndsWith("_sync", StringComparison.Ordinal) ? drive[..^5] : drive) + ".txt");
            }

            if (!File.Exists(poseFile))
            {
                throw new FileNotFoundException($"{poseFile}: ground-truth poses not found (pass --poses).", poseFile);
            }

            var count = KittiPoseFile.Read(poseFile).Count;
            var frames = odometry
                ? PoseEvaluator.KittiOdometryFrames(root, sequenceNumber, count, parse.GetValue(ext)!)
                : PoseEvaluator.KittiRawFrames(root, seq, count, parse.GetValue(ext)!);
            var folder = parse.GetValue(model)!.FullName;
            using var loaded = ModelFolder.Load(folder, withPose: true);
            if (!loaded.Info.HasPose)
            {
                throw new FileNotFoundException($"{Path.Combine(folder, "pose.pth")}: the model folder has no pose network.", Path.Combine(folder, "pose.pth"));
            }

            var result = PoseEvaluator.EvaluateModel(loaded.Networks, frames, poseFile, loaded.Info.Width, loaded.Info.Height);
            Console.Write(result.ToText());
            return 0;
        }));
        return command;
    }
}
