namespace Monodepth2.Training;

/// <summary>A progress report of the trainer.</summary>
/// <param name="Step">Optimisation steps done.</param>
/// <param name="Epoch">Current epoch (0-based).</param>
/// <param name="TotalSteps">Steps the run will take (epochs x batches, capped by MaxSteps); null when only time-limited.</param>
/// <param name="Loss">Total loss of the last step.</param>
/// <param name="Reprojection">Photometric (minimum-reprojection) term of the last step.</param>
/// <param name="Smoothness">Unweighted smoothness term of the last step.</param>
/// <param name="ImagesPerSecond">Training throughput since the previous report.</param>
/// <param name="LearningRate">Current learning rate.</param>
/// <param name="Elapsed">Training time so far.</param>
/// <param name="Remaining">Estimated time left; null when unknown.</param>
/// <param name="MinimumShares">
/// Which candidate won the per-pixel minimum of the photometric loss (full-resolution scale), as mean shares of the
/// pixels since the previous report: "identity" (auto-masked) and each source frame ("-1", "+1", "s"); empty when the
/// loss has no per-pixel minimum.
/// </param>
public sealed record TrainingProgress(
    long Step, int Epoch, long? TotalSteps, double Loss, double Reprojection, double Smoothness,
    double ImagesPerSecond, double LearningRate, TimeSpan Elapsed, TimeSpan? Remaining,
    IReadOnlyList<(string Candidate, double Share)> MinimumShares)
{
    /// <summary>Unweighted velocity term of the last step (metres; <c>LossResult.Velocity</c>), or null without velocity supervision.</summary>
    public double? Velocity { get; init; }
}

/// <summary>What a finished (or stopped) training run did.</summary>
/// <param name="Steps">Optimisation steps done in total (including any resumed from).</param>
/// <param name="Epochs">Epochs completed.</param>
/// <param name="StopReason">Why training ended.</param>
/// <param name="LastCheckpoint">The last checkpoint folder written, if any.</param>
/// <param name="LossHistory">(step, total loss) at every step of this run.</param>
/// <param name="Elapsed">Wall time of this run.</param>
/// <param name="SkippedSamples">Bad samples skipped (with <c>SkipBadSamples</c>).</param>
public sealed record TrainingResult(long Steps, int Epochs, string StopReason, string? LastCheckpoint, IReadOnlyList<(long Step, double Loss)> LossHistory, TimeSpan Elapsed, int SkippedSamples);
