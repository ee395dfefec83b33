using Monodepth2.Data;
using Monodepth2.Geometry;
using Monodepth2.Losses;
using Monodepth2.Networks;
using Monodepth2.Weights;

namespace Monodepth2.Training;

/// <summary>Which supervision the training uses.</summary>
public enum Modality
{
    /// <summary>Temporal neighbours only (frames 0, -1, +1); depth is up to scale.</summary>
    Mono,

    /// <summary>The stereo partner only (frames 0, s); depth is metric after x 5.4.</summary>
    Stereo,

    /// <summary>Temporal neighbours and the stereo partner (frames 0, -1, +1, s).</summary>
    MonoStereo,
}

/// <summary>How the encoders start.</summary>
public enum WeightsInit
{
    /// <summary>ImageNet weights (the reference default); needs an <see cref="IEncoderInitializer"/>.</summary>
    Pretrained,

    /// <summary>Random initialisation ("no_pt" models).</summary>
    Scratch,
}

/// <summary>
/// Every option of the reference trainer (options.py) under .NET names, with the reference's defaults, plus step and
/// time limits for short runs. The reference's flag is named in each member's documentation.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The reference's input width, 640.</summary>
    public const int DefaultWidth = 640;

    /// <summary>The reference's input height, 192.</summary>
    public const int DefaultHeight = 192;

    /// <summary>Input width, a multiple of 32 and at least 64 (<c>--width</c>, <see cref="DefaultWidth"/>).</summary>
    public int Width { get; init; } = DefaultWidth;

    /// <summary>Input height, a multiple of 32 and at least 64 (<c>--height</c>, <see cref="DefaultHeight"/>).</summary>
    public int Height { get; init; } = DefaultHeight;

    /// <summary>Supervision (<c>--use_stereo</c> and <c>--frame_ids</c>). Default <see cref="Modality.Mono"/>.</summary>
    public Modality Modality { get; init; } = Modality.Mono;

    /// <summary>Temporal source offsets besides the target (<c>--frame_ids</c> 0 -1 1). Ignored for stereo-only training.</summary>
    public IReadOnlyList<int> TemporalOffsets { get; init; } = [-1, 1];

    /// <summary>Samples per batch (<c>--batch_size</c>, 12).</summary>
    public int BatchSize { get; init; } = 12;

    /// <summary>Adam learning rate (<c>--learning_rate</c>, 1e-4).</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Epochs after which the learning rate is multiplied by 0.1 (<c>--scheduler_step_size</c>, 15).</summary>
    public int SchedulerStepSize { get; init; } = 15;

    /// <summary>Training epochs (<c>--num_epochs</c>, 20).</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>Depth decoder output scales used in the loss (<c>--scales</c>, 0 1 2 3).</summary>
    public IReadOnlyList<int> Scales { get; init; } = [0, 1, 2, 3];

    /// <summary>Minimum depth of the disparity mapping (<c>--min_depth</c>, 0.1); stored in the model folder.</summary>
    public double MinDepth { get; init; } = DepthConversion.DefaultMinDepth;

    /// <summary>Maximum depth of the disparity mapping (<c>--max_depth</c>, 100); stored in the model folder.</summary>
    public double MaxDepth { get; init; } = DepthConversion.DefaultMaxDepth;

    /// <summary>Disparity smoothness weight (<c>--disparity_smoothness</c>, 1e-3).</summary>
    public double SmoothnessWeight { get; init; } = LossOptions.DefaultSmoothnessWeight;

    /// <summary>
    /// Velocity supervision (PackNet-SfM's weakly supervised scale; not in the reference): weight of the term
    /// | ||t|| - travel | that ties the pose network's translation to the camera's known travel in metres, so that depth
    /// comes out in metres (scale factor 1) and the model is marked metric. Default 0 (off); needs temporal frames, no
    /// stereo partner (whose 0.1 baseline would fight the metres), and a dataset with travel (poses, oxts or speeds files).
    /// 1 found the metric scale within 250 steps on the synthetic world; PackNet-SfM's 0.1 did not move the translation there.
    /// </summary>
    public double VelocityWeight { get; init; }

    /// <summary>ResNet depth (<c>--num_layers</c>, 18).</summary>
    public int Layers { get; init; } = 18;

    /// <summary>Pose network (<c>--pose_model_type</c>, separate_resnet).</summary>
    public PoseNetworkKind PoseNetwork { get; init; } = PoseNetworkKind.SeparateResnet;

    /// <summary>Encoder initialisation (<c>--weights_init</c>, pretrained).</summary>
    public WeightsInit WeightsInit { get; init; } = WeightsInit.Pretrained;

    /// <summary>
    /// Pose encoder initialisation when it differs from <see cref="WeightsInit"/> (null: the same, as in the reference).
    /// The reference's ImageNet pose stem is the 3-channel stem repeated and halved, so at the start it sees the average
    /// of the two frames; <see cref="WeightsInit.Scratch"/> here learns faster in short runs (see the README's table).
    /// </summary>
    public WeightsInit? PoseWeightsInit { get; init; }

    /// <summary>
    /// How scratch encoders start: <see cref="Training.ScratchInit.Torchvision"/> (default, the reference's) or
    /// <see cref="Training.ScratchInit.TorchSharp"/> (learns faster in runs of a few hundred steps; the demo's choice).
    /// </summary>
    public ScratchInit ScratchInit { get; init; } = ScratchInit.Torchvision;

    /// <summary>SSIM in the photometric error (false = <c>--no_ssim</c>).</summary>
    public bool UseSsim { get; init; } = true;

    /// <summary>Auto-masking of static pixels (false = <c>--disable_automasking</c>).</summary>
    public bool UseAutoMasking { get; init; } = true;

    /// <summary>Reduction over sources (Average = <c>--avg_reprojection</c>).</summary>
    public ReprojectionReduction Reduction { get; init; } = ReprojectionReduction.Minimum;

    /// <summary>Where each scale's loss is computed (NativeResolution = <c>--v1_multiscale</c>).</summary>
    public MultiScaleMode MultiScale { get; init; } = MultiScaleMode.FullResolution;

    /// <summary>
    /// Learn an explainability mask per source instead of auto-masking (<c>--predictive_mask</c>, Zhou et al.);
    /// needs <see cref="UseAutoMasking"/> false, since the reference uses it only then.
    /// </summary>
    public bool PredictiveMask { get; init; }

    /// <summary>
    /// Mono+stereo only: for this many first steps the loss uses the stereo partner alone (no temporal frames, no pose
    /// network), so depth takes the metric scale of the stereo baseline before the pose network can settle on another
    /// one (0: off, as in the reference). See the README's "Metric depth".
    /// </summary>
    public long StereoWarmupSteps { get; init; }

    /// <summary>Stop after this many optimisation steps (null: no limit).</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Stop after this much training time (null: no limit).</summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Seed of weight initialisation, data order, augmentation and the auto-masking noise.</summary>
    public int Seed { get; init; }

    /// <summary>"cpu" or "cuda" / "cuda:N" (needs the CUDA build of TorchSharp).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Samples loaded in parallel (<c>--num_workers</c>, 12; capped by the processor count).</summary>
    public int Workers { get; init; } = 12;

    /// <summary>
    /// Load the next batch while the current step runs (faster on many cores). Off by default because TorchSharp's
    /// finalizer-freed temporaries make concurrent allocation during native work unsafe; see
    /// <see cref="TorchRuntime.QuiesceFinalizers"/>.
    /// </summary>
    public bool PrefetchBatches { get; init; }

    /// <summary>Steps between progress reports and log entries (<c>--log_frequency</c>, 250).</summary>
    public int LogFrequency { get; init; } = 250;

    /// <summary>Epochs between saved checkpoints (<c>--save_frequency</c>, 1).</summary>
    public int SaveFrequency { get; init; } = 1;

    /// <summary>Write TensorBoard event files under the run folder.</summary>
    public bool TensorBoard { get; init; } = true;

    /// <summary>Image file extension for the KITTI layouts, with the dot (".png" or ".jpg").</summary>
    public string ImageExtension { get; init; } = ".png";

    /// <summary>Skip samples that cannot be loaded (counted and reported) instead of stopping.</summary>
    public bool SkipBadSamples { get; init; }

    /// <summary>
    /// Memory for decoded, resized frames and their pyramids, so each frame is read and resized once rather than in every
    /// sample of every epoch (default 1024 MB; 0: off). Training results do not depend on it.
    /// </summary>
    public int FrameCacheMegabytes { get; init; } = 1024;

    /// <summary>
    /// The number type of the networks' computation (default <see cref="TrainingPrecision.Float32"/>, as the reference):
    /// <see cref="TrainingPrecision.BFloat16"/> is mixed precision with float32 master weights, 1.4x (192x64, batch 4) to
    /// 1.8x (640x192, batch 12) faster on a CPU with bfloat16 instructions (README "Training speed");
    /// <see cref="TrainingPrecision.Auto"/> uses it where the CPU has them.
    /// </summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Float32;

    /// <summary>
    /// Whether the trained model is a stereo model (<c>use_stereo</c>): any modality with the stereo partner, whose
    /// depth is metric after <see cref="StereoBaseline.ScaleFactor"/>.
    /// </summary>
    public bool TrainsStereoModel => Modality != Modality.Mono;

    /// <summary>Whether the trained model's depth is in metres: stereo models (after x 5.4) and velocity-supervised ones.</summary>
    public bool TrainsMetricModel => TrainsStereoModel || VelocityWeight > 0;

    /// <summary>Whether training has a pose network: every modality with temporal frames, and the shared variant always.</summary>
    public bool HasPoseNetwork => Modality != Modality.Stereo || PoseNetwork == PoseNetworkKind.Shared;

    /// <summary>The pose encoder's initialisation (<see cref="PoseWeightsInit"/>, or <see cref="WeightsInit"/> when null).</summary>
    public WeightsInit EffectivePoseWeightsInit => PoseWeightsInit ?? WeightsInit;

    /// <summary>Whether an encoder starts from ImageNet weights, so that an <see cref="IEncoderInitializer"/> is needed.</summary>
    public bool NeedsImageNet => WeightsInit == WeightsInit.Pretrained ||
                                 (EffectivePoseWeightsInit == WeightsInit.Pretrained && HasPoseNetwork && PoseNetwork == PoseNetworkKind.SeparateResnet);

    /// <summary>How training samples are loaded, derived from these options (size, frames, pyramid levels, seed, augmentation).</summary>
    public DatasetOptions Data => new()
    {
        Width = Width,
        Height = Height,
        FrameIds = FrameIds,
        Scales = Scales.Max() + 1,
        ImageExtension = ImageExtension,
        Augment = true,
        SkipBadSamples = SkipBadSamples,
        LoadTravel = VelocityWeight > 0,
        FrameCacheMegabytes = FrameCacheMegabytes,
        Seed = Seed,
    };

    /// <summary>The description written into the model folders this training saves.</summary>
    public ModelInfo Model => new()
    {
        Width = Width, Height = Height, UseStereo = TrainsStereoModel, Metric = TrainsMetricModel, MinDepth = MinDepth, MaxDepth = MaxDepth,
        Networks = Networks, HasPose = HasPoseNetwork,
    };

    /// <summary>The frame ids this configuration trains with.</summary>
    public IReadOnlyList<FrameId> FrameIds => Modality switch
    {
        Modality.Stereo => [FrameId.Target, FrameId.Stereo],
        Modality.MonoStereo => [FrameId.Target, .. TemporalOffsets.Select(FrameId.Temporal), FrameId.Stereo],
        _ => [FrameId.Target, .. TemporalOffsets.Select(FrameId.Temporal)],
    };

    /// <summary>The loss settings implied by these options.</summary>
    public LossOptions Loss => new()
    {
        Scales = Scales,
        MinDepth = MinDepth,
        MaxDepth = MaxDepth,
        SmoothnessWeight = SmoothnessWeight,
        UseSsim = UseSsim,
        UseAutoMasking = UseAutoMasking,
        Reduction = Reduction,
        MultiScale = MultiScale,
        VelocityWeight = VelocityWeight,
    };

    /// <summary>The network architecture implied by these options.</summary>
    public NetworkOptions Networks => new(Layers, Scales, PoseNetwork, PredictiveMask ? FrameIds.Count - 1 : 0);

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, string message)
        {
            if (!ok)
            {
                throw new ArgumentException($"{name}: {message}", name);
            }
        }

        // At 1/32 the decoder's reflection padding needs at least two rows and columns: 64 pixels.
        Check(Height >= 64 && Height % 32 == 0, nameof(Height), $"must be a multiple of 32, at least 64 (got {Height}).");
        Check(Width >= 64 && Width % 32 == 0, nameof(Width), $"must be a multiple of 32, at least 64 (got {Width}).");
        Check(BatchSize > 0, nameof(BatchSize), "must be positive.");
        Check(LearningRate > 0, nameof(LearningRate), "must be positive.");
        Check(Epochs > 0, nameof(Epochs), "must be positive.");
        Check(SchedulerStepSize > 0, nameof(SchedulerStepSize), "must be positive.");
        Check(Scales.Count > 0 && Scales.All(s => s is >= 0 and <= 3) && Scales.Contains(0), nameof(Scales), "must be values in 0..3 including 0.");
        Check(MinDepth > 0 && MaxDepth > MinDepth, nameof(MinDepth), "need 0 < MinDepth < MaxDepth.");
        Check(Modality == Modality.Stereo || (TemporalOffsets.Count > 0 && !TemporalOffsets.Contains(0)), nameof(TemporalOffsets), "need at least one non-zero offset for mono training.");
        Check(!PredictiveMask || !UseAutoMasking, nameof(PredictiveMask), "replaces auto-masking (as in the reference): set UseAutoMasking to false.");
        Check(VelocityWeight >= 0 && double.IsFinite(VelocityWeight), nameof(VelocityWeight), $"must be 0 (off) or positive (got {VelocityWeight}).");
        Check(VelocityWeight == 0 || Modality == Modality.Mono, nameof(VelocityWeight),
            "velocity supervision needs temporal frames and no stereo partner: the stereo loss fixes the scale with its 0.1 training baseline, which would fight the metres of the travel; use Modality.Mono.");
        Check(MaxSteps is null or > 0, nameof(MaxSteps), "must be positive.");
        Check(StereoWarmupSteps >= 0, nameof(StereoWarmupSteps), "must be 0 (off) or positive.");
        Check(StereoWarmupSteps == 0 || Modality == Modality.MonoStereo, nameof(StereoWarmupSteps), "needs mono+stereo training (the other modalities have nothing to warm up).");
        Check(StereoWarmupSteps == 0 || !PredictiveMask, nameof(StereoWarmupSteps), "cannot be combined with the predictive mask (one mask per source frame).");
        Check(Workers > 0, nameof(Workers), "must be positive.");
        Check(FrameCacheMegabytes >= 0, nameof(FrameCacheMegabytes), "must be 0 (off) or positive.");
        Check(LogFrequency > 0, nameof(LogFrequency), "must be positive.");
        Check(SaveFrequency > 0, nameof(SaveFrequency), "must be positive.");
    }
}
