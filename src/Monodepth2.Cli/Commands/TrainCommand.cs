using System.CommandLine;
using System.Globalization;
using Monodepth2.Losses;
using Monodepth2.Networks;
using Monodepth2.Training;

namespace Monodepth2.Cli.Commands;

/// <summary><c>monodepth2 train</c>: self-supervised training with every option of the reference trainer.</summary>
public static class TrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var defaults = new TrainingOptions();
        var data = new Option<DirectoryInfo>("--data") { Description = "Dataset root folder.", Required = true };
        var layout = new Option<DataLayout>("--layout") { Description = "Data layout.", DefaultValueFactory = _ => DataLayout.KittiRaw };
        var split = new Option<FileInfo?>("--split") { Description = "Training split file (default <data>/splits/train_files.txt)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Run folder: checkpoints under models/, TensorBoard logs under train/.", DefaultValueFactory = _ => new DirectoryInfo("runs/mono") };
        var resume = new Option<DirectoryInfo?>("--resume") { Description = "Continue from a run folder or checkpoint folder (weights, optimiser state, step)." };
        var ext = new Option<string>("--ext") { Description = "Image file extension of the dataset (.png or .jpg).", DefaultValueFactory = _ => ".png" };
        var calib = new Option<bool>("--use-calibration") { Description = "KittiRaw only: read intrinsics from calib_cam_to_cam.txt instead of KITTI's fixed ones." };
        var skipBad = new Option<bool>("--skip-bad-samples") { Description = "Skip unreadable or incomplete samples and report them at the end." };
        var height = new Option<int>("--height") { Description = "Input height, a multiple of 32.", DefaultValueFactory = _ => defaults.Height };
        var width = new Option<int>("--width") { Description = "Input width, a multiple of 32.", DefaultValueFactory = _ => defaults.Width };
        var modality = new Option<string>("--modality") { Description = "mono, stereo or mono+stereo.", DefaultValueFactory = _ => "mono" };
        modality.CompletionSources.Add("mono", "stereo", "mono+stereo");   // checked in the action: bad input exits with code 2
        var frames = new Option<int[]>("--frame-offsets") { Description = "Temporal source offsets (reference --frame_ids without 0).", DefaultValueFactory = _ => [-1, 1], AllowMultipleArgumentsPerToken = true };
        var batch = new Option<int>("--batch-size") { Description = "Samples per batch.", DefaultValueFactory = _ => defaults.BatchSize };
        var lr = new Option<double>("--learning-rate") { Description = "Adam learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var stepSize = new Option<int>("--scheduler-step-size") { Description = "Epochs between learning-rate drops (x 0.1).", DefaultValueFactory = _ => defaults.SchedulerStepSize };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => defaults.Epochs };
        var scales = new Option<int[]>("--scales") { Description = "Output scales used in the loss.", DefaultValueFactory = _ => [0, 1, 2, 3], AllowMultipleArgumentsPerToken = true };
        var minDepth = new Option<double>("--min-depth") { Description = "Minimum depth.", DefaultValueFactory = _ => defaults.MinDepth };
        var maxDepth = new Option<double>("--max-depth") { Description = "Maximum depth.", DefaultValueFactory = _ => defaults.MaxDepth };
        var smooth = new Option<double>("--disparity-smoothness") { Description = "Smoothness weight.", DefaultValueFactory = _ => defaults.SmoothnessWeight };
        var velocity = new Option<double>("--velocity-weight")
        {
            Description = "Velocity supervision (mono only): weight of | |t| - travel | with the camera's known travel from poses, oxts or speeds files, so depth comes out in metres (0: off; 1 found the scale within 250 steps on the synthetic world where PackNet-SfM's 0.1 did not, see README).",
            DefaultValueFactory = _ => defaults.VelocityWeight,
        };
        var layers = new Option<int>("--num-layers") { Description = "ResNet depth (18, 34, 50, 101, 152).", DefaultValueFactory = _ => defaults.Layers };
        var pose = new Option<PoseNetworkKind>("--pose-network") { Description = "Pose network variant.", DefaultValueFactory = _ => defaults.PoseNetwork };
        var init = new Option<WeightsInit>("--weights-init") { Description = "Encoder initialisation: Pretrained (ImageNet) or Scratch.", DefaultValueFactory = _ => defaults.WeightsInit };
        var poseInit = new Option<WeightsInit?>("--pose-weights-init") { Description = "Pose encoder initialisation when it should differ from --weights-init (Scratch learns faster in short runs; see README)." };
        var scratchInit = new Option<ScratchInit>("--scratch-init")
        {
            Description = "How scratch encoders start: Torchvision (default, the reference's kaiming-normal fan_out) or TorchSharp (layer defaults; learns faster in runs of a few hundred steps, the demo's choice).",
            DefaultValueFactory = _ => defaults.ScratchInit,
        };
        var warmup = new Option<long>("--stereo-warmup-steps")
        {
            Description = "mono+stereo: train this many first steps on the stereo partner alone, so depth takes the stereo baseline's metric scale (default 0, the reference).",
            DefaultValueFactory = _ => defaults.StereoWarmupSteps,
        };
        var precision = new Option<TrainingPrecision>("--precision")
        {
            Description = "Float32 (default, as the reference), BFloat16 (mixed precision, float32 master weights; 1.4-1.8x faster on CPUs with avx512_bf16/amx_bf16) or Auto (BFloat16 where the CPU has it).",
            DefaultValueFactory = _ => defaults.Precision,
        };
        var noSsim = new Option<bool>("--no-ssim") { Description = "Ablation: L1 photometric error only." };
        var noMask = new Option<bool>("--disable-automasking") { Description = "Ablation: no auto-masking of static pixels." };
        var avg = new Option<bool>("--avg-reprojection") { Description = "Ablation: average instead of minimum reprojection." };
        var v1 = new Option<bool>("--v1-multiscale") { Description = "Ablation: compute each scale's loss at its own resolution." };
        var predictiveMask = new Option<bool>("--predictive-mask") { Description = "Ablation: learn an explainability mask (needs --disable-automasking)." };
        var maxSteps = new Option<long?>("--max-steps") { Description = "Stop after this many steps (a checkpoint is written)." };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Stop after this many minutes of training." };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu, cuda or cuda:N (CUDA needs the TorchBackend=cuda build).", DefaultValueFactory = _ => "cpu" };
        var workers = new Option<int>("--num-workers") { Description = "Samples loaded in parallel.", DefaultValueFactory = _ => defaults.Workers };
        var logFrequency = new Option<int>("--log-frequency") { Description = "Steps between progress lines and TensorBoard entries.", DefaultValueFactory = _ => 50 };
        var saveFrequency = new Option<int>("--save-frequency") { Description = "Epochs between checkpoints.", DefaultValueFactory = _ => defaults.SaveFrequency };
        var noTensorBoard = new Option<bool>("--no-tensorboard") { Description = "Do not write TensorBoard event files." };

        var command = new Command("train", "Train depth and pose networks from video frames or stereo pairs, without depth labels.")
        {
            data, layout, split, output, resume, ext, calib, skipBad, height, width, modality, frames, batch, lr, stepSize, epochs, scales,
            minDepth, maxDepth, smooth, velocity, layers, pose, init, poseInit, scratchInit, warmup, precision, noSsim, noMask, avg, v1, predictiveMask, maxSteps, maxMinutes, seed, device, workers,
            logFrequency, saveFrequency, noTensorBoard,
        };
        command.SetAction((parse, cancellation) => CliErrors.RunAsync(() =>
        {
            DatasetFactory.CheckCalibration(parse.GetValue(layout), parse.GetValue(calib));
            var options = new TrainingOptions
            {
                Height = parse.GetValue(height), Width = parse.GetValue(width),
                Modality = parse.GetValue(modality) switch
                {
                    "mono" => Modality.Mono, "stereo" => Modality.Stereo, "mono+stereo" => Modality.MonoStereo,
                    var other => throw new ArgumentException($"--modality must be mono, stereo or mono+stereo (got '{other}')."),
                },
                TemporalOffsets = parse.GetValue(frames)!, BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                SchedulerStepSize = parse.GetValue(stepSize), Epochs = parse.GetValue(epochs), Scales = parse.GetValue(scales)!,
                MinDepth = parse.GetValue(minDepth), MaxDepth = parse.GetValue(maxDepth), SmoothnessWeight = parse.GetValue(smooth),
                VelocityWeight = parse.GetValue(velocity),
                Layers = parse.GetValue(layers), PoseNetwork = parse.GetValue(pose), WeightsInit = parse.GetValue(init), PoseWeightsInit = parse.GetValue(poseInit), ScratchInit = parse.GetValue(scratchInit),
                UseSsim = !parse.GetValue(noSsim), UseAutoMasking = !parse.GetValue(noMask),
                Reduction = parse.GetValue(avg) ? ReprojectionReduction.Average : ReprojectionReduction.Minimum,
                MultiScale = parse.GetValue(v1) ? MultiScaleMode.NativeResolution : MultiScaleMode.FullResolution,
                PredictiveMask = parse.GetValue(predictiveMask), StereoWarmupSteps = parse.GetValue(warmup),
                MaxSteps = parse.GetValue(maxSteps), MaxDuration = parse.GetValue(maxMinutes) is { } m ? TimeSpan.FromMinutes(m) : null,
                Seed = parse.GetValue(seed), Device = parse.GetValue(device)!, Workers = parse.GetValue(workers),
                LogFrequency = parse.GetValue(logFrequency), SaveFrequency = parse.GetValue(saveFrequency), TensorBoard = !parse.GetValue(noTensorBoard),
                ImageExtension = parse.GetValue(ext)!, SkipBadSamples = parse.GetValue(skipBad), Precision = parse.GetValue(precision),
            };
            options.Validate();
            var run = parse.GetValue(output)!.FullName;
            using var trainer = new Trainer(options,
                d => DatasetFactory.Create(parse.GetValue(layout), parse.GetValue(data)!.FullName, parse.GetValue(split)?.FullName, "train_files.txt", d, parse.GetValue(calib)),
                run, EncoderInitializers.For(options), parse.GetValue(resume)?.FullName);
            var dataset = trainer.Dataset;
            Console.WriteLine($"Training {options.Modality} on {dataset.Count} samples at {options.Width}x{options.Height}, batch {options.BatchSize}, {ConsoleProgress.Precision(trainer)}, into {run}" +
                              (trainer.ResumedFrom is { } from ? $" (resumed from {from} at step {trainer.Step})" : string.Empty) + ". Ctrl+C saves a checkpoint and stops.");
            var batches = dataset.Count / options.BatchSize;
            long? total = options.MaxSteps is { } ms ? Math.Min(ms, (long)options.Epochs * batches) : (long)options.Epochs * batches;
            var result = ConsoleProgress.Train(trainer, total, cancellation);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Stopped: {result.StopReason} after {result.Steps} steps ({result.Elapsed.TotalMinutes:F1} min). Last checkpoint: {result.LastCheckpoint ?? "none"}."));
            if (result.SkippedSamples > 0)
            {
                Console.WriteLine($"Skipped {result.SkippedSamples} bad sample(s):");
                foreach (var s in dataset.Skipped.Take(20))
                {
                    Console.WriteLine($"  {s}");
                }
            }

            return Task.FromResult(result.StopReason == "cancelled" ? CliErrors.Cancelled : 0);
        }));
        return command;
    }
}
