using System.CommandLine;
using System.Globalization;
using Monodepth2.Data;
using Monodepth2.Evaluation;
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
        var stereo = new Option<bool?>("--stereo") { Description = "Stereo scaling (no median scaling, x5.4); false: median scaling. Default from the model's description (metric models: no median scaling, x5.4 for stereo, x1 for velocity-supervised), median scaling for --pred." };
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
            baseline, baselineSplit, model, pred, data, split, gt, eigenCrop, postProcess, stereo, scaleFactor, savePred, ext, json,
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
                options = parse.GetValue(stereo) is { } forced
                    ? Scaled(options, forced, parse.GetValue(scaleFactor))
                    : Scaled(options.For(info), false, parse.GetValue(scaleFactor));
                var dataset = new KittiRawDataset(root, entries, DepthEvaluator.EvaluationDatasetOptions(info, parse.GetValue(ext)!));
                report = DepthEvaluator.EvaluateModel(loaded.Networks, info, dataset, groundTruth, options, $"{modelFolder} on {splitPath}");
            }
            else if (predFile is not null)
            {
                options = Scaled(options, parse.GetValue(stereo) ?? false, parse.GetValue(scaleFactor));
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

    private static DepthEvaluationOptions Scaled(DepthEvaluationOptions options, bool stereo, double? factor)
    {
        var scaled = stereo ? options.ForStereo() : options;
        return factor is { } f ? scaled with { ScaleFactor = f } : scaled;
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
