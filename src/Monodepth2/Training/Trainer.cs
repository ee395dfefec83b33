using System.Diagnostics;
using Monodepth2.Data;
using Monodepth2.Networks;
using Monodepth2.Weights;
using TorchSharp;
using static TorchSharp.torch;
using static Monodepth2.ScalarCache;

namespace Monodepth2.Training;

/// <summary>
/// The Monodepth2 training loop: Adam over the depth and pose networks, the learning rate x 0.1 every
/// <see cref="TrainingOptions.SchedulerStepSize"/> epochs, one dispose scope per step, progress reports, TensorBoard
/// scalars, and atomic checkpoints each <see cref="TrainingOptions.SaveFrequency"/> epochs and whenever training stops
/// (step or time limit, cancellation).
/// </summary>
public sealed class Trainer : IDisposable
{
    /// <summary>The "epoch" argument of <see cref="BatchLoader.Mix"/> that gives the per-step torch seeds their own stream.</summary>
    private const int StepStream = -2;

    private readonly TrainingOptions options;
    private readonly string runFolder;
    private readonly Device device;
    private readonly TorchSharp.Modules.OptimizerHelper optimizer;
    private readonly BatchObjective objective;
    private TrainerState state;
    private bool logImages = true;

    /// <summary>Creates a trainer with new networks (or the networks of <paramref name="resumeFrom"/>).</summary>
    /// <param name="options">Training settings; validated here.</param>
    /// <param name="dataset">Makes the training samples from the loading options that <paramref name="options"/> implies (<see cref="TrainingOptions.Data"/>), e.g. <c>data =&gt; new KittiRawDataset(root, split, data)</c>.</param>
    /// <param name="runFolder">Folder for checkpoints (models/), options and TensorBoard logs.</param>
    /// <param name="initializer">Sets ImageNet weights when <see cref="TrainingOptions.NeedsImageNet"/>; required then.</param>
    /// <param name="resumeFrom">A run folder or checkpoint folder to continue from.</param>
    public Trainer(TrainingOptions options, Func<DatasetOptions, IMonodepthDataset> dataset, string runFolder, IEncoderInitializer? initializer = null, string? resumeFrom = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataset);
        options.Validate();
        TorchRuntime.EnsureLoaded();
        this.options = options;
        Dataset = dataset(options.Data);
        if (options.VelocityWeight > 0 && !Dataset.HasTravel)
        {
            throw new ArgumentException(
                "Velocity supervision (VelocityWeight > 0) needs the camera's travel, but the dataset has none: give poses/<drive>.txt or oxts/ (KITTI raw), " +
                "poses/<sequence>.txt (KITTI odometry), or poses.txt / speeds.txt beside the frames (folder videos); see the README's \"Velocity supervision\".",
                nameof(dataset));
        }

        this.runFolder = runFolder;
        device = new Device(options.Device);
        manual_seed(options.Seed);

        Networks = new MonodepthNetworks(options.Networks, withPose: options.HasPoseNetwork);
        if (resumeFrom is null && options.ScratchInit == ScratchInit.Torchvision)
        {
            if (options.WeightsInit == WeightsInit.Scratch)
            {
                Networks.Encoder.InitialiseAsTorchvision();
            }

            if (options.EffectivePoseWeightsInit == WeightsInit.Scratch)
            {
                Networks.Pose?.Encoder?.InitialiseAsTorchvision();
            }
        }

        if (resumeFrom is null && options.NeedsImageNet)
        {
            if (initializer is null)
            {
                throw new ArgumentException("WeightsInit.Pretrained needs an encoder initializer (ImageNet weights); pass one or use WeightsInit.Scratch.", nameof(initializer));
            }

            initializer.Initialize(
                options.WeightsInit == WeightsInit.Pretrained ? Networks.Encoder : null,
                options.EffectivePoseWeightsInit == WeightsInit.Pretrained ? Networks.Pose?.Encoder : null);
        }

        Networks.To(device);
        var adam = optim.Adam(Networks.Parameters(), lr: options.LearningRate);
        optimizer = adam;
        FusedOptimizer = FusedAdam.Supports(adam);
        objective = new BatchObjective(Networks, options.Loss, options.FrameIds)
        {
            ChannelsLast = InputLayout.PrefersChannelsLast(device, options.Width, options.Height, options.BatchSize),
            ComputeType = BFloat16Support.ComputeType(options.Precision, device),
        };
        state = new TrainerState(0, 0, 0, options.Seed);
        if (resumeFrom is not null)
        {
            var checkpoint = Checkpoints.Resolve(resumeFrom);
            state = Checkpoints.Load(checkpoint, Networks, optimizer);
            ResumedFrom = checkpoint;
        }

        Directory.CreateDirectory(Checkpoints.ModelsFolder(runFolder));
        AtomicFile.WriteAllText(Path.Combine(Checkpoints.ModelsFolder(runFolder), "opt.json"), OptionsJson.Serialize(options));
    }

    /// <summary>Whether the step uses <see cref="FusedAdam"/> (CPU, float32) rather than TorchSharp's Adam (the benchmark compares both).</summary>
    internal bool FusedOptimizer { get; set; }

    /// <summary>Whether the networks see their inputs in channels-last memory order (<see cref="InputLayout"/> chooses; the benchmark and tests force either).</summary>
    internal bool ChannelsLast
    {
        get => objective.ChannelsLast;
        set => objective.ChannelsLast = value;
    }

    /// <summary>The networks' compute type, from <see cref="TrainingOptions.Precision"/> and the device.</summary>
    public ScalarType ComputeType => objective.ComputeType;

    /// <summary>Phase timing for the train-speed benchmark (null: not measured).</summary>
    internal StepPhases? Phases
    {
        get => objective.Phases;
        set => objective.Phases = value;
    }

    /// <summary>The training samples, loaded with <see cref="TrainingOptions.Data"/>.</summary>
    public IMonodepthDataset Dataset { get; }

    /// <summary>The networks being trained.</summary>
    public MonodepthNetworks Networks { get; }

    /// <summary>The checkpoint the run continued from, if any.</summary>
    public string? ResumedFrom { get; }

    /// <summary>Optimisation steps done so far (including resumed ones).</summary>
    public long Step => state.Step;

    /// <summary>Trains until the epochs are done, a limit is reached or <paramref name="cancellation"/> fires; always ends with a checkpoint.</summary>
    public TrainingResult Train(IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        var loader = new BatchLoader(Dataset, options.BatchSize, shuffle: true, dropLast: true, seed: options.Seed,
            maxParallelism: Math.Min(options.Workers, Environment.ProcessorCount), device: device, prefetch: options.PrefetchBatches);
        var batchesPerEpoch = loader.BatchesPerEpoch;
        if (batchesPerEpoch == 0)
        {
            throw new InvalidOperationException($"The dataset has {Dataset.Count} samples, fewer than one batch of {options.BatchSize}.");
        }

        long? totalSteps = (long)options.Epochs * batchesPerEpoch;
        if (options.MaxSteps is { } maxSteps)
        {
            totalSteps = Math.Min(totalSteps.Value, maxSteps);
        }

        var writer = options.TensorBoard ? torch.utils.tensorboard.SummaryWriter(Path.Combine(runFolder, "train")) : null;
        var history = new List<(long, double)>();
        var clock = Stopwatch.StartNew();
        var lastReport = (Time: TimeSpan.Zero, Step: state.Step);
        var startStep = state.Step;
        string? lastCheckpoint = null;
        var stopReason = "completed all epochs";
        var info = options.Model;
        var sources = objective.Sources().ToArray();
        var shareNames = new[] { "identity" }.Concat(sources.Select(f => f.ToString())).ToArray();
        var shareSums = new double[shareNames.Length];
        var shareSteps = 0;
        Networks.Train();

        for (var epoch = state.Epoch; epoch < options.Epochs; epoch++)
        {
            SetLearningRate(LearningRateAt(epoch));
            var stepInEpoch = 0;
            var skip = epoch == state.Epoch ? state.StepInEpoch : 0;
            string? stop = null;
            var quiesced = TorchRuntime.QuiesceTime;
            foreach (var batch in loader.Epoch(epoch))
            {
                if (Phases is { } phases)
                {
                    phases.Mark(StepPhases.Data);
                    phases.Move(StepPhases.Data, StepPhases.Gc, TorchRuntime.QuiesceTime - quiesced);
                }

                using (batch)
                {
                    if (stepInEpoch++ < skip)
                    {
                        continue;
                    }

                    var logNow = (state.Step + 1) % options.LogFrequency == 0;
                    var stereoOnly = state.Step < options.StereoWarmupSteps;
                    var (loss, reprojection, smoothness, shares, velocity) = TrainStep(batch, stereoOnly, logNow ? writer : null);
                    if (shares is not null)
                    {
                        // Each step's shares are the identity's and those of the sources it used (only "s" in the stereo
                        // warm-up); a source it did not use won no pixel.
                        shareSteps++;
                        shareSums[0] += shares[0];
                        var used = objective.Sources(stereoOnly);
                        for (var k = 0; k < used.Count; k++)
                        {
                            shareSums[1 + Array.IndexOf(sources, used[k])] += shares[1 + k];
                        }
                    }

                    state = state with { Epoch = epoch, StepInEpoch = stepInEpoch, Step = state.Step + 1 };
                    history.Add((state.Step, loss));
                    var elapsed = clock.Elapsed;
                    if (state.Step % options.LogFrequency == 0 || state.Step == totalSteps)
                    {
                        var rate = (state.Step - lastReport.Step) * options.BatchSize / Math.Max(1e-9, (elapsed - lastReport.Time).TotalSeconds);
                        var done = state.Step - startStep;
                        TimeSpan? remaining = totalSteps is { } t && done > 0 ? TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (t - state.Step)) : null;
                        if (options.MaxDuration is { } limit && (remaining is null || limit - elapsed < remaining))
                        {
                            remaining = limit - elapsed;
                        }

                        var meanShares = shareSteps == 0 ? [] : shareNames.Select((n, k) => (n, shareSums[k] / shareSteps)).ToArray();
                        Array.Clear(shareSums);
                        shareSteps = 0;
                        progress?.Report(new TrainingProgress(state.Step, epoch, totalSteps, loss, reprojection, smoothness, rate, LearningRateAt(epoch), elapsed, remaining, meanShares) { Velocity = velocity });
                        writer?.add_scalar("loss", (float)loss, (int)state.Step);
                        writer?.add_scalar("loss/reprojection", (float)reprojection, (int)state.Step);
                        writer?.add_scalar("loss/smoothness", (float)smoothness, (int)state.Step);
                        if (velocity is { } v)
                        {
                            writer?.add_scalar("loss/velocity", (float)v, (int)state.Step);
                        }

                        foreach (var (candidate, share) in meanShares)
                        {
                            writer?.add_scalar($"minimum/{candidate}", (float)share, (int)state.Step);
                        }
                        lastReport = (elapsed, state.Step);
                    }
                }

                stop = cancellation.IsCancellationRequested ? "cancelled"
                    : options.MaxSteps is { } ms && state.Step >= ms ? $"reached {ms} steps"
                    : options.MaxDuration is { } md && clock.Elapsed >= md ? $"reached the time limit of {md}"
                    : null;
                Phases?.Mark(StepPhases.Other);
                quiesced = TorchRuntime.QuiesceTime;
                if (stop is not null)
                {
                    break;
                }
            }

            if (stop is not null)
            {
                stopReason = stop;
                lastCheckpoint = Checkpoints.Save(runFolder, "last", Networks, info, optimizer, state);
                break;
            }

            state = state with { Epoch = epoch + 1, StepInEpoch = 0 };
            if ((epoch + 1) % options.SaveFrequency == 0 || epoch + 1 == options.Epochs)
            {
                lastCheckpoint = Checkpoints.Save(runFolder, epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), Networks, info, optimizer, state);
            }
        }

        return new TrainingResult(state.Step, state.Epoch, stopReason, lastCheckpoint, history, clock.Elapsed, Dataset.Skipped.Count);
    }

    /// <summary>The learning rate of an epoch: the base rate x 0.1 per completed scheduler period.</summary>
    public double LearningRateAt(int epoch) => options.LearningRate * Math.Pow(0.1, epoch / options.SchedulerStepSize);

    /// <summary>Disposes the networks and optimiser.</summary>
    public void Dispose()
    {
        optimizer.Dispose();
        Networks.Dispose();
    }

    private (double Loss, double Reprojection, double Smoothness, float[]? MinimumShares, double? Velocity) TrainStep(Batch batch, bool stereoOnly, TorchSharp.Modules.SummaryWriter? imageWriter)
    {
        using var scope = NewDisposeScope();

        // The step's random draws (the loss's tie-breaking noise) depend on (seed, step) only, like the data order and
        // augmentation (BatchLoader), so a run resumed at step k continues exactly as an uninterrupted one.
        manual_seed(BatchLoader.Mix(options.Seed, StepStream, (int)state.Step));
        optimizer.zero_grad();
        var result = objective.Compute(batch, stereoOnly);
        Phases?.Mark(StepPhases.Loss);
        result.Total.backward();
        Phases?.Mark(StepPhases.Backward);
        if (FusedOptimizer)
        {
            FusedAdam.Step((TorchSharp.Modules.Adam)optimizer);
        }
        else
        {
            optimizer.step();
        }

        Phases?.Mark(StepPhases.Optimizer);
        if (imageWriter is not null && logImages)
        {
            // The first sample's input and its scale-0 disparity (normalised to [0, 1]) as TensorBoard images.
            var step = (int)state.Step + 1;
            var disp = result.Disparity[0].detach().cpu();
            try
            {
                imageWriter.add_img("color/0", batch.Pyramids[FrameId.Target][0][0].detach().cpu(), step);
                imageWriter.add_img("disp/0", (disp - disp.min()) / (disp.max() - disp.min() + S(1e-7)), step);
            }
            catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException)
            {
                // TorchSharp encodes images with SkiaSharp; without its native library keep logging scalars only.
                logImages = false;
                Trace.TraceWarning($"TensorBoard images disabled: SkiaSharp's native library is missing ({ex.Message}).");
            }
        }

        return (result.Total.item<float>(), result.Reprojection.item<float>(), result.Smoothness.item<float>(), result.MinimumShares?.data<float>().ToArray(), result.Velocity?.item<float>());
    }

    private void SetLearningRate(double lr)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = lr;
        }
    }
}
