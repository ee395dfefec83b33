using Monodepth2.Geometry;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static Monodepth2.ScalarCache;

namespace Monodepth2.Losses;

/// <summary>
/// The multi-scale Monodepth2 objective: warp each source into the target view with predicted depth and pose,
/// take the per-pixel minimum photometric error over sources (with identity errors for auto-masking), add
/// edge-aware smoothness / 2^s, and average over scales. With velocity supervision (sources with
/// <see cref="SourceView.Travel"/>), <see cref="LossOptions.VelocityWeight"/> x the velocity term is added (see
/// <see cref="LossResult.Velocity"/>): the translation's norm is taken from the transform each scale warps with, so for
/// PoseCNN it is the depth-scaled one, which is what ties the depth's scale to metres.
/// </summary>
public sealed class MonodepthLoss
{
    /// <summary>Creates the loss with the given settings.</summary>
    public MonodepthLoss(LossOptions? options = null)
    {
        Options = options ?? new LossOptions();
    }

    /// <summary>The settings in use.</summary>
    public LossOptions Options { get; }

    /// <summary>Weight of the term that pushes the predictive mask towards 1 (binary cross-entropy against ones).</summary>
    public const double MaskWeight = 0.2;

    /// <summary>Computes the loss for sigmoid disparities given per entry of <see cref="LossOptions.Scales"/>.</summary>
    /// <param name="disparities">Sigmoid disparity per scale, [B, 1, H / 2^s, W / 2^s].</param>
    /// <param name="inputs">Images, transforms and intrinsics.</param>
    /// <param name="predictiveMasks">
    /// Optional explainability masks per scale, [B, sources, H / 2^s, W / 2^s] in (0, 1) (the reference's
    /// <c>predictive_mask</c> ablation, Zhou et al.): the reprojection errors are multiplied by them and
    /// 0.2 BCE(mask, 1) is added. Used only without auto-masking, as in the reference.
    /// </param>
    public LossResult Compute(IReadOnlyList<Tensor> disparities, LossInputs inputs, IReadOnlyList<Tensor>? predictiveMasks = null)
    {
        ArgumentNullException.ThrowIfNull(disparities);
        ArgumentNullException.ThrowIfNull(inputs);
        var scales = Options.Scales;
        if (disparities.Count != scales.Count)
        {
            throw new ArgumentException($"Expected {scales.Count} disparities (one per scale), got {disparities.Count}.", nameof(disparities));
        }

        if (inputs.Sources.Count == 0)
        {
            throw new ArgumentException("The loss needs at least one source frame.", nameof(inputs));
        }

        using var scope = NewDisposeScope();
        var height = inputs.TargetPyramid[0].shape[2];
        var width = inputs.TargetPyramid[0].shape[3];
        var perScale = new Tensor[scales.Count];
        Tensor? reprojectionSum = null;
        Tensor? smoothnessSum = null;
        Tensor? autoMask = null;
        Tensor? shares = null;
        Tensor? velocitySum = null;
        // The unwarped sources' errors do not depend on the prediction: once per source resolution (once in all for the
        // default full-resolution mode, where every scale warps at the input size).
        var identityErrors = new Dictionary<int, Tensor>();
        for (var i = 0; i < scales.Count; i++)
        {
            var scale = scales[i];
            var disp = disparities[i];
            var sourceScale = Options.MultiScale == MultiScaleMode.FullResolution ? 0 : scale;
            var warpDisp = sourceScale == 0 && disp.shape[2] != height
                ? functional.interpolate(disp, size: [height, width], mode: InterpolationMode.Bilinear, align_corners: false)
                : disp;
            var (_, depth) = DepthConversion.DispToDepth(warpDisp, Options.MinDepth, Options.MaxDepth);
            var target = inputs.TargetPyramid[sourceScale];
            var points = Reprojection.Backproject(depth, inputs.InverseK[sourceScale]);
            var h = (int)target.shape[2];
            var w = (int)target.shape[3];

            var warped = new List<Tensor>(inputs.Sources.Count);
            Tensor? meanInverseDepth = null;
            Tensor? velocityError = null;
            Tensor? velocityKnown = null;
            foreach (var source in inputs.Sources)
            {
                var transform = source.Transform;
                if (source.DepthScaledPose is { } pose)
                {
                    meanInverseDepth ??= depth.reciprocal().mean([1L, 2L, 3L]);
                    transform = pose.ToTransform(meanInverseDepth);
                }

                if (source.Travel is { } travel)
                {
                    var (error, known) = VelocityError(transform, travel);
                    velocityError = velocityError is null ? error : velocityError + error;
                    velocityKnown = velocityKnown is null ? known : velocityKnown + known;
                }

                var grid = Reprojection.Project(points, inputs.K[sourceScale], transform, w, h);
                warped.Add(Reprojection.Warp(source.Pyramid[sourceScale], grid));
            }

            var reprojectionErrors = cat(warped.Select(x => Photometric.Error(x, target, Options.UseSsim)).ToArray(), 1);
            Tensor? maskTerm = null;
            if (predictiveMasks is not null && !Options.UseAutoMasking)
            {
                var mask = predictiveMasks[i];
                if (mask.shape[2] != h)
                {
                    mask = functional.interpolate(mask, size: [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
                }

                reprojectionErrors = reprojectionErrors * mask;
                maskTerm = functional.binary_cross_entropy(mask, ones_like(mask)) * S(MaskWeight);
            }

            var reprojectionLoss = Reduce(reprojectionErrors);
            var combined = reprojectionLoss;
            Tensor? identityLoss = null;
            if (Options.UseAutoMasking)
            {
                if (!identityErrors.TryGetValue(sourceScale, out var unwarped))
                {
                    using var noGrad = no_grad();
                    unwarped = Reduce(cat(inputs.Sources.Select(s => Photometric.Error(s.Pyramid[sourceScale], target, Options.UseSsim)).ToArray(), 1));
                    identityErrors[sourceScale] = unwarped;
                }

                identityLoss = unwarped + (randn_like(unwarped) * S(Options.TieBreakNoise));
                combined = cat([identityLoss, reprojectionLoss], 1);
            }

            Tensor toOptimise;
            if (combined.shape[1] == 1)
            {
                toOptimise = combined;
            }
            else
            {
                var (values, indices) = combined.min(1);
                toOptimise = values;
                var identityCount = identityLoss?.shape[1] ?? 0;
                if (identityLoss is not null && i == 0)
                {
                    autoMask = (indices > S(identityCount - 1)).to(ScalarType.Float32).unsqueeze(1);
                }

                if (i == 0 && reprojectionLoss.shape[1] == inputs.Sources.Count)
                {
                    shares = MinimumShares(indices, identityCount, inputs.Sources.Count);
                }
            }

            var reprojectionTerm = maskTerm is null ? toOptimise.mean() : toOptimise.mean() + maskTerm;
            var smooth = Smoothness.EdgeAware(Smoothness.MeanNormalise(disp), inputs.TargetPyramid[scale]);
            perScale[i] = reprojectionTerm + (smooth * S(Options.SmoothnessWeight / Math.Pow(2, scale)));
            reprojectionSum = reprojectionSum is null ? reprojectionTerm : reprojectionSum + reprojectionTerm;
            smoothnessSum = smoothnessSum is null ? smooth : smoothnessSum + smooth;
            if (velocityError is not null)
            {
                var velocity = velocityError / velocityKnown!.clamp_min(1);
                velocitySum = velocitySum is null ? velocity : velocitySum + velocity;
            }
        }

        var total = stack(perScale).mean();
        var velocityTerm = velocitySum is null ? null : velocitySum / S((double)scales.Count);
        if (velocityTerm is not null)
        {
            total = total + (velocityTerm * S(Options.VelocityWeight));
        }

        var result = new LossResult(
            total.MoveToOuterDisposeScope(),
            perScale.Select(t => t.MoveToOuterDisposeScope()).ToArray(),
            (reprojectionSum! / S((double)scales.Count)).MoveToOuterDisposeScope(),
            (smoothnessSum! / S((double)scales.Count)).MoveToOuterDisposeScope(),
            autoMask?.MoveToOuterDisposeScope(),
            disparities[0],
            shares?.MoveToOuterDisposeScope(),
            velocityTerm?.MoveToOuterDisposeScope());
        return result;
    }

    /// <summary>Shares of pixels won by the identity candidates (together) and by each warped source, [1 + sources].</summary>
    private static Tensor MinimumShares(Tensor indices, long identityCount, int sources)
    {
        using var noGrad = no_grad();
        var counts = indices.flatten().bincount(null, identityCount + sources).to(ScalarType.Float32);
        var perCandidate = counts / S((double)indices.numel());
        var identity = identityCount == 0 ? zeros(1) : perCandidate.narrow(0, 0, identityCount).sum().unsqueeze(0);
        return cat([identity, perCandidate.narrow(0, identityCount, sources)], 0);
    }

    /// <summary>Sum over the batch of | ||t|| - travel | where travel is known, and the number of known samples.</summary>
    private static (Tensor Error, Tensor Known) VelocityError(Tensor transform, Tensor travel)
    {
        var known = travel.isnan().logical_not();
        var norm = linalg.vector_norm(transform.narrow(1, 0, 3).select(2, 3), dims: [1L]);
        var error = where(known, (norm - where(known, travel, zeros_like(travel))).abs(), zeros_like(norm));
        return (error.sum(), known.to(ScalarType.Float32).sum());
    }

    private Tensor Reduce(Tensor errors) =>
        Options.Reduction == ReprojectionReduction.Average ? errors.mean([1L], keepdim: true) : errors;
}
