using Monodepth2.Data;
using Monodepth2.Geometry;
using Monodepth2.Networks;
using Monodepth2.Weights;
using static TorchSharp.torch;

namespace Monodepth2.Evaluation;

/// <summary>The result of evaluating depth predictions over a set of images.</summary>
/// <param name="Mean">Metrics averaged over images.</param>
/// <param name="Images">Images evaluated.</param>
/// <param name="RatioMean">Mean of the per-image median-scaling ratios (1 without median scaling).</param>
/// <param name="RatioStd">Their standard deviation.</param>
public sealed record DepthEvaluationResult(DepthMetrics Mean, int Images, double RatioMean, double RatioStd)
{
    /// <summary>Averages per-image evaluations: metrics over images, and the mean and population std of the ratios.</summary>
    /// <exception cref="InvalidOperationException">There are no images.</exception>
    public static DepthEvaluationResult FromImages(IReadOnlyList<ImageEvaluation> images)
    {
        if (images.Count == 0)
        {
            throw new InvalidOperationException("No images to evaluate.");
        }

        var ratios = images.Select(p => p.Ratio).ToArray();
        var mean = ratios.Average();
        var std = Math.Sqrt(ratios.Select(r => (r - mean) * (r - mean)).Average());
        return new DepthEvaluationResult(DepthMetrics.Mean(images.Select(p => p.Metrics).ToArray()), images.Count, mean, std);
    }
}

/// <summary>
/// The reference's <c>evaluate_depth</c>, the one evaluation path of this library: predict scaled disparities at the
/// network's resolution (<see cref="PredictDisparities"/>), then, per image, resize them bilinearly to the ground truth's
/// size, depth = 1 / disparity, and apply the protocol of <see cref="DepthEvaluation.EvaluateImage"/> (validity range,
/// median or fixed scaling, clamping) (<see cref="EvaluateDisparities"/>).
/// </summary>
public static class DepthEvaluator
{
    /// <summary>
    /// Evaluates a model on a KITTI-raw split: predict disparities for every split line at the model's input size (with
    /// flip post-processing when asked; saved as .npy when <see cref="DepthEvaluationOptions.SavePredictions"/> is set),
    /// then <see cref="EvaluateDisparities"/> against the per-image depth PNGs of the split or, when given, a
    /// <c>gt_depths.npz</c>.
    /// </summary>
    public static DepthEvaluationReport EvaluateModel(MonodepthNetworks networks, ModelInfo info, string dataRoot, IReadOnlyList<SplitEntry> split,
        DepthEvaluationOptions options, string? groundTruthNpz = null, string imageExtension = ".png")
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(info);
        var dataset = new KittiRawDataset(dataRoot, split, EvaluationDatasetOptions(info, imageExtension));
        var gt = groundTruthNpz is null ? DepthGroundTruth.FromKittiSplit(dataRoot, split) : DepthGroundTruth.FromNumpy(groundTruthNpz);
        return EvaluateModel(networks, info, dataset, gt, options, SplitName(split));
    }

    /// <summary>
    /// Evaluates a model on the images of <paramref name="dataset"/> (loaded with <see cref="EvaluationDatasetOptions"/>
    /// of the model) against <paramref name="groundTruth"/>, image i against map i.
    /// </summary>
    /// <exception cref="InvalidDataException">The ground truth does not have one map per image.</exception>
    public static DepthEvaluationReport EvaluateModel(MonodepthNetworks networks, ModelInfo info, IMonodepthDataset dataset, DepthGroundTruth groundTruth,
        DepthEvaluationOptions options, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (groundTruth.Count != dataset.Count)
        {
            throw new InvalidDataException($"{groundTruth.Source} has {groundTruth.Count} ground-truth maps but the split has {dataset.Count} images.");
        }

        var disparities = PredictDisparities(networks, info, dataset, options);
        if (options.SavePredictions is { } savePath)
        {
            NpyFile.Write(savePath, disparities);
        }

        var what = $"model{(options.PostProcess ? " (post-processed)" : "")} on {description ?? dataset.Count + " images"}";
        return EvaluateDisparities(disparities, groundTruth, options, what);
    }

    /// <summary>
    /// Scaled disparities (disp_to_depth of the network's scale-0 output with the model's
    /// <see cref="ModelInfo.MinDepth"/>/<see cref="ModelInfo.MaxDepth"/>) for every image of the dataset, as a float32
    /// array N x H x W at the network's input size. With
    /// <see cref="DepthEvaluationOptions.PostProcess"/> the mirrored image is predicted too and blended with
    /// <see cref="DisparityPostProcessing.Blend"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The dataset augments its images or loads them at another size than the model's.</exception>
    public static NpyArray PredictDisparities(MonodepthNetworks networks, ModelInfo info, IMonodepthDataset dataset, DepthEvaluationOptions options, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (dataset.Options.Augment)
        {
            throw new ArgumentException("Evaluation needs a dataset without augmentation (DatasetOptions.Augment = false).", nameof(dataset));
        }

        if (dataset.Options.Width != info.Width || dataset.Options.Height != info.Height)
        {
            throw new ArgumentException($"The dataset loads {dataset.Options.Width}x{dataset.Options.Height} images but the model takes {info.Width}x{info.Height}; use EvaluationDatasetOptions(info).", nameof(dataset));
        }

        networks.Train(false);
        var device = networks.Encoder.parameters().First().device;
        var rng = new Random(0);
        int h = dataset.Options.Height, w = dataset.Options.Width, plane = h * w;
        var result = new float[(long)dataset.Count * plane];
        for (var start = 0; start < dataset.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, dataset.Count - start);
            var images = new float[count * 3 * plane];
            for (var b = 0; b < count; b++)
            {
                var image = dataset.GetSample(start + b, rng).Pyramids[FrameId.Target][0];
                Array.Copy(image.Data, 0, images, b * 3 * plane, 3 * plane);
            }

            float[] disp;
            using (var scope = NewDisposeScope())
            using (no_grad())
            {
                var input = tensor(images, [count, 3, h, w], device: device);
                if (options.PostProcess)
                {
                    input = cat([input, input.flip(3)], 0);
                }

                var (scaled, _) = DepthConversion.DispToDepth(networks.PredictDisparity(input)[0], info.MinDepth, info.MaxDepth);
                disp = scaled.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
            }

            for (var b = 0; b < count; b++)
            {
                var left = disp.AsSpan(b * plane, plane);
                var target = result.AsSpan((int)((long)(start + b) * plane), plane);
                if (options.PostProcess)
                {
                    var right = DisparityPostProcessing.FlipHorizontal(disp.AsSpan((count + b) * plane, plane), w, h);
                    DisparityPostProcessing.Blend(left, right, w, h).CopyTo(target);
                }
                else
                {
                    left.CopyTo(target);
                }
            }
        }

        return NpyArray.FromFloat32(result, dataset.Count, h, w);
    }

    /// <summary>
    /// Evaluates externally computed disparities (the reference's <c>--ext_disp_to_eval</c>): a float .npy of shape
    /// N x H x W, one map per image of the split, in split order.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed or the counts differ; the message names the files and the numbers.</exception>
    public static DepthEvaluationReport EvaluateDisparityFile(string disparityNpy, DepthGroundTruth groundTruth, DepthEvaluationOptions options) =>
        EvaluateDisparities(NpyFile.Read(disparityNpy), groundTruth, options, disparityNpy);

    /// <summary>
    /// The per-image protocol over disparities N x H x W: for each image, resize the disparity bilinearly to the
    /// ground truth's size (as cv2.resize), depth = 1 / disparity, keep valid pixels (gt &gt; 0; with the Eigen crop, inside it and 1e-3 &lt; gt &lt; 80),
    /// scale (fixed factor, median) and clamp, measure; then average over images.
    /// </summary>
    /// <exception cref="InvalidDataException">The disparities are not N x H x W or N differs from the ground truth's count.</exception>
    public static DepthEvaluationReport EvaluateDisparities(NpyArray disparities, DepthGroundTruth groundTruth, DepthEvaluationOptions options,
        string source = "disparities")
    {
        ArgumentNullException.ThrowIfNull(disparities);
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (disparities.Shape.Count != 3 || disparities.Shape.Any(d => d <= 0))
        {
            throw new InvalidDataException($"{source}: disparities have shape {disparities.ShapeText}; expected N x H x W.");
        }

        var n = (int)disparities.Shape[0];
        if (n != groundTruth.Count)
        {
            throw new InvalidDataException($"{source} holds {n} predictions but {groundTruth.Source} has {groundTruth.Count} images; they must match one to one.");
        }

        int h = (int)disparities.Shape[1], w = (int)disparities.Shape[2], plane = h * w;
        var values = disparities.ToFloat32();
        var scaling = options.Scaling;
        var per = new ImageEvaluation[n];
        if (options.ImageIntrinsics is { } given && given.Count != n)
        {
            throw new InvalidDataException($"{source}: {given.Count} image intrinsics for {n} predictions; they must match one to one.");
        }

        var fits = options.CameraHeight is null ? null : new GroundPlaneFit[n];
        var ratiosAfter = new double[n];
        for (var i = 0; i < n; i++)
        {
            var gt = groundTruth.Load(i);
            if (gt.Depth.Length != gt.Width * gt.Height)
            {
                throw new InvalidDataException($"{groundTruth.Source}: map {i} has {gt.Depth.Length} values for {gt.Width} x {gt.Height}.");
            }

            var disp = BilinearResize.Resize(values.AsSpan((int)((long)i * plane), plane), w, h, gt.Width, gt.Height);
            for (var k = 0; k < disp.Length; k++)
            {
                disp[k] = 1f / disp[k];
            }

            var mask = options.EigenCrop ? EigenCrop.Mask(gt.Width, gt.Height) : null;
            if (fits is not null)
            {
                // The plane is fitted on the depth as predicted; the fixed factor applied below then cancels out.
                var ground = new GroundPlaneOptions { CameraHeight = options.CameraHeight!.Value, Intrinsics = options.ImageIntrinsics?[i] ?? Intrinsics.Kitti };
                fits[i] = GroundPlane.Fit(disp, gt.Width, gt.Height, ground);
                disp = fits[i].Apply(disp);
                var factor = (float)(1 / options.ScaleFactor);
                for (var k = 0; k < disp.Length; k++)
                {
                    disp[k] *= factor;
                }
            }

            try
            {
                per[i] = DepthEvaluation.EvaluateImage(gt.Depth, disp, scaling, mask);
                ratiosAfter[i] = scaling.MedianScaling ? per[i].Ratio : DepthEvaluation.EvaluateImage(gt.Depth, disp, scaling with { MedianScaling = true }, mask).Ratio;
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"Image {i} of {groundTruth.Source}: {ex.Message}", ex);
            }
        }

        var summary = DepthEvaluationResult.FromImages(per);
        var ratios = per.Select(p => p.Ratio).ToArray();
        var median = DepthEvaluation.Median(ratios);
        var normalised = ratios.Select(r => r / median).ToArray();
        var nMean = normalised.Average();
        var stdOverMedian = Math.Sqrt(normalised.Select(r => (r - nMean) * (r - nMean)).Average());
        return new DepthEvaluationReport(summary.Mean, n, summary.RatioMean, summary.RatioStd, median, stdOverMedian,
            options, source, groundTruth.Source)
        {
            GroundPlanes = fits is null ? null : new GroundPlaneSummary(options.CameraHeight!.Value, fits),
            ScaleRatio = DepthEvaluation.Median(ratiosAfter),
        };
    }

    /// <summary>
    /// The normalised intrinsics of each split line for camera-height scaling: from the drive's
    /// <c>root/&lt;date&gt;/calib_cam_to_cam.txt</c> (KITTI raw, and the synthetic world's) when it exists, else
    /// <see cref="Intrinsics.Kitti"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">A calibration file exists but is malformed.</exception>
    public static IReadOnlyList<Intrinsics> SplitIntrinsics(string root, IReadOnlyList<SplitEntry> split)
    {
        ArgumentNullException.ThrowIfNull(split);
        var cache = new Dictionary<(string, CameraSide), Intrinsics>();
        return split.Select(e =>
        {
            var path = KittiCalibration.PathFor(root, e.Folder);
            var side = e.Side ?? CameraSide.Left;
            if (!cache.TryGetValue((path, side), out var k))
            {
                k = File.Exists(path) ? KittiCalibration.ReadIntrinsics(path, side) : Intrinsics.Kitti;
                cache[(path, side)] = k;
            }

            return k;
        }).ToArray();
    }

    /// <summary>Loading options for evaluating a model: its input size, the target frame only, one scale, no augmentation.</summary>
    public static DatasetOptions EvaluationDatasetOptions(ModelInfo info, string imageExtension = ".png") => new()
    {
        Width = info.Width,
        Height = info.Height,
        FrameIds = [FrameId.Target],
        Scales = 1,
        Augment = false,
        ImageExtension = imageExtension,
    };

    private static string SplitName(IReadOnlyList<SplitEntry> split) =>
        split.Count > 0 && split[0].SourceFile is { } file ? file : $"{split.Count} split entries";

}
