using Monodepth2.Data;
using Monodepth2.Losses;
using Monodepth2.Networks;
using static TorchSharp.torch;

namespace Monodepth2.Training;

/// <summary>
/// One batch through the networks and the loss, as the reference's process_batch: depth from the augmented target
/// (with the shared pose variant, the depth encoder runs on every frame), a pose per temporal source, the stereo
/// baseline for "s", then the Monodepth2 loss on the un-augmented pyramids. A PoseCNN translation is multiplied by the
/// mean inverse depth of each scale before warping, as the reference's generate_images_pred does. With a velocity weight
/// (<see cref="LossOptions.VelocityWeight"/> &gt; 0) each temporal source carries the batch's known travel
/// (<see cref="Batch.Travel"/>; all unknown when the batch has none) for the velocity term.
/// </summary>
public sealed class BatchObjective
{
    private readonly MonodepthNetworks networks;
    private readonly MonodepthLoss loss;
    private readonly IReadOnlyList<FrameId> frameIds;

    /// <summary>Creates the objective for the given frames (the target first, then the sources).</summary>
    public BatchObjective(MonodepthNetworks networks, LossOptions lossOptions, IReadOnlyList<FrameId> frameIds)
    {
        this.networks = networks;
        loss = new MonodepthLoss(lossOptions);
        this.frameIds = frameIds;
    }

    /// <summary>Whether the networks' image inputs are laid out channels-last (NHWC strides, NCHW shape).</summary>
    internal bool ChannelsLast { get; set; }

    /// <summary>The networks' compute type: float32, or bfloat16 for mixed precision (the loss stays float32; <see cref="MixedPrecision"/>).</summary>
    internal ScalarType ComputeType { get; set; } = ScalarType.Float32;

    /// <summary>Phase marks for the train-speed benchmark (null: not measured).</summary>
    internal StepPhases? Phases { get; set; }

    /// <summary>The source frames the loss compares, in the order of its <see cref="LossResult.MinimumShares"/>: every non-target frame, or only the stereo partner.</summary>
    public IReadOnlyList<FrameId> Sources(bool stereoOnly = false) => frameIds.Where(f => !f.IsTarget && (f.IsStereo || !stereoOnly)).ToArray();

    /// <summary>Computes the loss of <paramref name="batch"/>; the result's tensors belong to the caller's dispose scope.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="stereoOnly">Use the stereo partner as the only source (the warm-up of <see cref="TrainingOptions.StereoWarmupSteps"/>).</param>
    public LossResult Compute(Batch batch, bool stereoOnly = false)
    {
        Tensor Input(FrameId id)
        {
            var image = batch.Augmented[id];
            image = image.dtype == ComputeType ? image : image.to(ComputeType);
            return ChannelsLast ? InputLayout.ToChannelsLast(image) : image;
        }

        var target = Input(FrameId.Target);
        Tensor[] targetFeatures;
        Dictionary<FrameId, Tensor[]>? allFeatures = null;
        if (networks.Pose?.Kind == PoseNetworkKind.Shared)
        {
            var ids = frameIds;
            var all = networks.Encoder.call(cat(ids.Select(id => id == FrameId.Target ? target : Input(id)).ToArray(), 0));
            allFeatures = [];
            for (var i = 0; i < ids.Count; i++)
            {
                allFeatures[ids[i]] = all.Select(f => f.narrow(0, i * batch.Size, batch.Size)).ToArray();
            }

            targetFeatures = allFeatures[FrameId.Target];
        }
        else
        {
            targetFeatures = networks.Encoder.call(target);
        }

        var disparities = networks.Decoder.call(targetFeatures);
        var sources = new List<SourceView>();
        foreach (var id in Sources(stereoOnly))
        {
            if (id.IsStereo)
            {
                var stereo = batch.StereoTransform ?? throw new InvalidOperationException("The batch has a stereo frame but no stereo transform.");
                sources.Add(new SourceView(batch.Pyramids[id], stereo));
                continue;
            }

            var pose = networks.Pose ?? throw new InvalidOperationException("Temporal frames need a pose network.");
            var parameters = pose.TargetToSourceParameters(target, Input(id), id.Offset, allFeatures?[FrameId.Target], allFeatures?[id]);
            // PoseCNN's translation is relative to the scene's scale: the loss multiplies it by the mean inverse depth (as the reference).
            var travel = loss.Options.VelocityWeight > 0
                ? batch.Travel.GetValueOrDefault(id) ?? full(batch.Size, float.NaN, dtype: ScalarType.Float32, device: target.device)
                : null;
            sources.Add(new SourceView(batch.Pyramids[id], parameters.ToTransform(), pose.Kind == PoseNetworkKind.PoseCnn ? parameters : null, travel));
        }

        var masks = networks.MaskDecoder?.call(targetFeatures);
        Phases?.Mark(StepPhases.Forward);
        return loss.Compute(disparities, new LossInputs(batch.Pyramids[FrameId.Target], sources, batch.K, batch.InverseK), masks);
    }
}
