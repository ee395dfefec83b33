using Monodepth2.Geometry;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Networks;

/// <summary>Which pose network predicts the relative camera motion.</summary>
public enum PoseNetworkKind
{
    /// <summary>Its own ResNet encoder on the two frames stacked as 6 channels, then the pose decoder (the default).</summary>
    SeparateResnet,

    /// <summary>The pose decoder on the depth encoder's features of each frame.</summary>
    Shared,

    /// <summary>The small 7-layer PoseCNN on the two stacked frames.</summary>
    PoseCnn,
}

/// <summary>
/// The pose side of Monodepth2: predicts the transform from the target camera to a source camera for a frame pair,
/// following the reference's frame order (a source before the target is fed as [source, target] and the result is
/// inverted; a later source as [target, source]). Holds the modules saved as <c>pose_encoder.pth</c> and <c>pose.pth</c>.
/// </summary>
public sealed class PoseNetwork : IDisposable
{
    /// <summary>Creates the network.</summary>
    /// <param name="kind">The variant.</param>
    /// <param name="layers">ResNet depth of the separate pose encoder.</param>
    /// <param name="depthEncoderChannels">Channels of the depth encoder (needed for <see cref="PoseNetworkKind.Shared"/>).</param>
    public PoseNetwork(PoseNetworkKind kind = PoseNetworkKind.SeparateResnet, int layers = 18, IReadOnlyList<long>? depthEncoderChannels = null)
    {
        Kind = kind;
        switch (kind)
        {
            case PoseNetworkKind.SeparateResnet:
                Encoder = new ResnetEncoder(layers, inputImages: 2);
                Decoder = new PoseDecoder(Encoder.NumChannels, inputFeatures: 1, framesToPredict: 2);
                break;
            case PoseNetworkKind.Shared:
                var channels = depthEncoderChannels ?? throw new ArgumentException("The shared pose network needs the depth encoder's channel counts.", nameof(depthEncoderChannels));
                Decoder = new PoseDecoder(channels, inputFeatures: 2);
                break;
            case PoseNetworkKind.PoseCnn:
                Cnn = new PoseCnn(inputFrames: 2);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown pose network kind.");
        }
    }

    /// <summary>The variant.</summary>
    public PoseNetworkKind Kind { get; }

    /// <summary>The 6-channel pose encoder (<c>pose_encoder.pth</c>); null unless <see cref="PoseNetworkKind.SeparateResnet"/>.</summary>
    public ResnetEncoder? Encoder { get; }

    /// <summary>The pose decoder (<c>pose.pth</c>); null for <see cref="PoseNetworkKind.PoseCnn"/>.</summary>
    public PoseDecoder? Decoder { get; }

    /// <summary>The PoseCNN (<c>pose.pth</c>); null unless <see cref="PoseNetworkKind.PoseCnn"/>.</summary>
    public PoseCnn? Cnn { get; }

    /// <summary>The trainable modules, in the order their files are named (encoder first).</summary>
    public IReadOnlyList<Module> Modules => new Module?[] { Encoder, Decoder, Cnn }.OfType<Module>().ToArray();

    /// <summary>
    /// The raw 6-DoF output for an ordered pair ([first, second] as the network sees them): axis-angle and translation
    /// [B, 1, 3] of the first predicted frame.
    /// </summary>
    /// <param name="first">Earlier frame [B, 3, H, W] in [0, 1] (colour-augmented during training).</param>
    /// <param name="second">Later frame.</param>
    /// <param name="firstFeatures">Depth-encoder features of <paramref name="first"/> (shared variant only).</param>
    /// <param name="secondFeatures">Depth-encoder features of <paramref name="second"/> (shared variant only).</param>
    public (Tensor AxisAngle, Tensor Translation) PredictPair(Tensor first, Tensor second, Tensor[]? firstFeatures = null, Tensor[]? secondFeatures = null)
    {
        using var scope = NewDisposeScope();
        PoseOutput output;
        switch (Kind)
        {
            case PoseNetworkKind.SeparateResnet:
                var features = Encoder!.call(cat([first, second], 1));
                output = Decoder!.call([features[^1]]);
                break;
            case PoseNetworkKind.Shared:
                if (firstFeatures is null || secondFeatures is null)
                {
                    throw new ArgumentException("The shared pose network needs the depth encoder's features of both frames.");
                }

                output = Decoder!.call([firstFeatures[^1], secondFeatures[^1]]);
                break;
            default:
                output = Cnn!.call(cat([first, second], 1));
                break;
        }

        var axisAngle = output.AxisAngle[.., 0].MoveToOuterDisposeScope();
        var translation = output.Translation[.., 0].MoveToOuterDisposeScope();
        return (axisAngle, translation);
    }

    /// <summary>
    /// The transform [B, 4, 4] that maps target-camera points into the camera of the source frame at
    /// <paramref name="sourceOffset"/> (-1 = previous, +1 = next), as the loss needs it.
    /// </summary>
    public Tensor TargetToSource(Tensor target, Tensor source, int sourceOffset, Tensor[]? targetFeatures = null, Tensor[]? sourceFeatures = null)
    {
        using var scope = NewDisposeScope();
        return TargetToSourceParameters(target, source, sourceOffset, targetFeatures, sourceFeatures).ToTransform().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The parameters of <see cref="TargetToSource"/> before they become a matrix: the network's axis-angle and
    /// translation for the pair in the reference's frame order, and whether the transform is inverted.
    /// </summary>
    public PoseParameters TargetToSourceParameters(Tensor target, Tensor source, int sourceOffset, Tensor[]? targetFeatures = null, Tensor[]? sourceFeatures = null)
    {
        if (sourceOffset == 0)
        {
            throw new ArgumentException("The source frame must differ from the target (offset 0).", nameof(sourceOffset));
        }

        var before = sourceOffset < 0;
        var (axisAngle, translation) = before
            ? PredictPair(source, target, sourceFeatures, targetFeatures)
            : PredictPair(target, source, targetFeatures, sourceFeatures);
        return new PoseParameters(axisAngle, translation, before);
    }

    /// <summary>Switches every module to training mode.</summary>
    public void Train(bool on = true)
    {
        foreach (var m in Modules)
        {
            m.train(on);
        }
    }

    /// <summary>Disposes the modules.</summary>
    public void Dispose()
    {
        foreach (var m in Modules)
        {
            m.Dispose();
        }
    }
}
