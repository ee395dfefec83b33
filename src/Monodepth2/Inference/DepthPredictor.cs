using Monodepth2.Geometry;
using Monodepth2.Imaging;
using Monodepth2.Networks;
using Monodepth2.Weights;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Inference;

/// <summary>
/// Turns images into depth with a trained depth network: resize to the model's input size (Lanczos, as the
/// reference), predict, resize the disparity back to the requested size (bilinear), depth = 1 / disparity, times
/// <see cref="ModelInfo.DepthScale"/> (5.4 for stereo-trained models). Each prediction runs in its own dispose scope.
/// </summary>
public sealed class DepthPredictor : IDisposable
{
    private readonly MonodepthNetworks networks;
    private readonly bool ownsNetworks;

    /// <summary>Wraps networks already in memory, described by <paramref name="info"/> (input size, depth range, stereo).</summary>
    public DepthPredictor(MonodepthNetworks networks, ModelInfo info)
        : this(networks, info, ownsNetworks: false)
    {
    }

    private DepthPredictor(MonodepthNetworks networks, ModelInfo info, bool ownsNetworks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(info);
        TorchRuntime.EnsureLoaded();
        this.networks = networks;
        this.ownsNetworks = ownsNetworks;
        Info = info;
        networks.Train(false);
    }

    /// <summary>Loads the depth networks of a model folder (encoder.pth, depth.pth) as the folder describes them.</summary>
    /// <param name="folder">The model folder.</param>
    public static DepthPredictor Load(string folder)
    {
        var model = ModelFolder.Load(folder, withPose: false);
        return new DepthPredictor(model.Networks, model.Info, ownsNetworks: true);
    }

    /// <summary>The model's description: input size, depth range, stereo.</summary>
    public ModelInfo Info { get; }

    /// <summary>
    /// When set, each prediction's depth is rescaled so that the road plane fitted in the lower image lies at
    /// <see cref="GroundPlaneOptions.CameraHeight"/> (<see cref="GroundPlane.Fit"/> on the output-size depth, with these
    /// intrinsics); the fit is returned in <see cref="DepthPrediction.GroundPlane"/>, and when no plane is found the depth
    /// stays unscaled (check <see cref="GroundPlaneFit.Found"/>). Null (default): no scaling.
    /// </summary>
    public GroundPlaneOptions? CameraHeightScaling { get; set; }

    /// <summary>Predicts depth for an image of any size; output at <paramref name="outWidth"/> x <paramref name="outHeight"/> (default: the image's size).</summary>
    public DepthPrediction Predict(RgbImage image, int? outWidth = null, int? outHeight = null)
    {
        var input = image.Width == Info.Width && image.Height == Info.Height ? image : ImageFiles.Resize(image, Info.Width, Info.Height);
        var w = outWidth ?? image.Width;
        var h = outHeight ?? image.Height;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = networks.Encoder.parameters().First().device;
        var x = tensor(input.Data, [1, 3, Info.Height, Info.Width], device: device);
        var (scaled, _) = DepthConversion.DispToDepth(networks.PredictDisparity(x)[0], Info.MinDepth, Info.MaxDepth);
        var resized = w == Info.Width && h == Info.Height
            ? scaled
            : functional.interpolate(scaled, size: [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
        var disparity = resized.cpu().contiguous().data<float>().ToArray();
        var factor = Info.DepthScale;
        var depth = disparity.Select(d => (float)(factor / d)).ToArray();
        if (CameraHeightScaling is { } ground)
        {
            var fit = GroundPlane.Fit(depth, w, h, ground);
            return new DepthPrediction(disparity, fit.Apply(depth), w, h, Info.Metric || fit.Found) { GroundPlane = fit };
        }

        return new DepthPrediction(disparity, depth, w, h, Info.Metric);
    }

    /// <summary>Disposes the networks when this predictor loaded them.</summary>
    public void Dispose()
    {
        if (ownsNetworks)
        {
            networks.Dispose();
        }
    }
}
