using Monodepth2.Geometry;
using Monodepth2.Training;

namespace Monodepth2.MLNet.Transforms;

/// <summary>Training and scoring options of the trainable <c>EstimateDepth</c>.</summary>
public sealed class DepthEstimatorOptions : DepthScoringOptions
{
    /// <summary>Video (sequence) identifier column: text or a number.</summary>
    public string SequenceColumnName { get; set; } = "Sequence";

    /// <summary>Frame index column (whole numbers); temporal neighbours are index - 1 and + 1.</summary>
    public string FrameIndexColumnName { get; set; } = "Frame";

    /// <summary>Camera side column for stereo pairs ("l"/"r"); needed for stereo and mono+stereo training.</summary>
    public string? SideColumnName { get; set; }

    /// <summary>Per-frame intrinsics column (4 floats: normalised fx, fy, cx, cy); null: <see cref="Intrinsics"/> for every frame.</summary>
    public string? IntrinsicsColumnName { get; set; }

    /// <summary>
    /// Camera travel column for velocity supervision (<c>Training.VelocityWeight</c> &gt; 0): metres moved since the previous
    /// frame of the sequence, per frame (see <see cref="Data.FrameColumnNames.Travel"/>); null: no travel (velocity
    /// supervision is then refused).
    /// </summary>
    public string? TravelColumnName { get; set; }

    /// <summary>Normalised intrinsics used when there is no intrinsics column (default KITTI's 0.58, 1.92, 0.5, 0.5).</summary>
    public Intrinsics Intrinsics { get; set; } = Intrinsics.Kitti;

    /// <summary>
    /// The trainer's options (input size, modality, batch size, epochs, step and time limits, ...). Default: the
    /// reference's, from the ImageNet encoder.
    /// </summary>
    public TrainingOptions Training { get; set; } = new();

    /// <summary>Run folder for checkpoints, TensorBoard logs and the final model folder; null: a new folder under the temp directory.</summary>
    public string? RunFolder { get; set; }

    /// <summary>Continue from a run or checkpoint folder (weights, optimiser state and step).</summary>
    public string? ResumeFrom { get; set; }

    /// <summary>Receives the trainer's progress reports (also written to <c>MLContext.Log</c>).</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Stops training early; a checkpoint is written and the model so far is used.</summary>
    public CancellationToken Cancellation { get; set; }
}
