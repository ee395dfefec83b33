using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Networks;

/// <summary>Architecture settings of a Monodepth2 model (what a model folder must agree with).</summary>
/// <param name="Layers">ResNet depth of the encoders (18, 34, 50, 101, 152).</param>
/// <param name="Scales">Output scales of the depth decoder.</param>
/// <param name="PoseKind">Pose network variant.</param>
/// <param name="PredictiveMaskSources">When above 0: a mask decoder with one output per source frame (the reference's <c>predictive_mask</c> ablation).</param>
public sealed record NetworkOptions(int Layers = 18, IReadOnlyList<int>? Scales = null, PoseNetworkKind PoseKind = PoseNetworkKind.SeparateResnet, int PredictiveMaskSources = 0)
{
    /// <summary>Output scales, default 0..3.</summary>
    public IReadOnlyList<int> EffectiveScales => Scales ?? [0, 1, 2, 3];
}

/// <summary>
/// The networks of a Monodepth2 model: depth encoder and decoder, and (for training, pose evaluation) the pose network.
/// File names in a model folder: <c>encoder.pth</c>, <c>depth.pth</c>, <c>pose_encoder.pth</c> (separate pose
/// encoder only) and <c>pose.pth</c>.
/// </summary>
public sealed class MonodepthNetworks : IDisposable
{
    /// <summary>Creates randomly initialised networks.</summary>
    public MonodepthNetworks(NetworkOptions? options = null, bool withPose = true)
    {
        Options = options ?? new NetworkOptions();
        Encoder = new ResnetEncoder(Options.Layers, 1);
        Decoder = new DepthDecoder(Encoder.NumChannels, Options.EffectiveScales);
        Pose = withPose ? new PoseNetwork(Options.PoseKind, Options.Layers, Encoder.NumChannels) : null;
        MaskDecoder = Options.PredictiveMaskSources > 0 ? new DepthDecoder(Encoder.NumChannels, Options.EffectiveScales, Options.PredictiveMaskSources) : null;
    }

    /// <summary>Architecture settings.</summary>
    public NetworkOptions Options { get; }

    /// <summary>Depth encoder (<c>encoder.pth</c>).</summary>
    public ResnetEncoder Encoder { get; }

    /// <summary>Depth decoder (<c>depth.pth</c>).</summary>
    public DepthDecoder Decoder { get; }

    /// <summary>Pose network; null for a depth-only model.</summary>
    public PoseNetwork? Pose { get; }

    /// <summary>Predictive (explainability) mask decoder (<c>predictive_mask.pth</c>); null unless enabled.</summary>
    public DepthDecoder? MaskDecoder { get; }

    /// <summary>Every module with the reference file name (without .pth) it is stored under.</summary>
    public IReadOnlyList<(string Name, Module Module)> NamedModules
    {
        get
        {
            var list = new List<(string, Module)> { ("encoder", Encoder), ("depth", Decoder) };
            if (Pose?.Encoder is { } poseEncoder)
            {
                list.Add(("pose_encoder", poseEncoder));
            }

            if (Pose?.Decoder is { } poseDecoder)
            {
                list.Add(("pose", poseDecoder));
            }

            if (Pose?.Cnn is { } cnn)
            {
                list.Add(("pose", cnn));
            }

            if (MaskDecoder is { } mask)
            {
                list.Add(("predictive_mask", mask));
            }

            return list;
        }
    }

    /// <summary>All trainable parameters.</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> Parameters() => NamedModules.SelectMany(m => m.Module.parameters());

    /// <summary>
    /// Sigmoid disparities, one per scale, for images [B, 3, H, W] in [0, 1]. Drains pending finalizers first (see
    /// <see cref="TorchRuntime.QuiesceFinalizers"/>): callers run it in loops that load images in between.
    /// </summary>
    public Tensor[] PredictDisparity(Tensor images)
    {
        TorchRuntime.QuiesceFinalizers();
        using var scope = NewDisposeScope();
        var result = Decoder.call(Encoder.call(images));
        foreach (var t in result)
        {
            t.MoveToOuterDisposeScope();
        }

        return result;
    }

    /// <summary>Training or evaluation mode for every module (batch norm behaviour).</summary>
    public void Train(bool on = true)
    {
        foreach (var (_, m) in NamedModules)
        {
            m.train(on);
        }
    }

    /// <summary>Moves every module to a device.</summary>
    public void To(Device device)
    {
        Encoder.to(device);
        Decoder.to(device);
        Pose?.Encoder?.to(device);
        Pose?.Decoder?.to(device);
        Pose?.Cnn?.to(device);
        MaskDecoder?.to(device);
    }

    /// <summary>Disposes the modules.</summary>
    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
        Pose?.Dispose();
        MaskDecoder?.Dispose();
    }
}
