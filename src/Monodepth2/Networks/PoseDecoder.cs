using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static Monodepth2.ScalarCache;

namespace Monodepth2.Networks;

/// <summary>
/// Monodepth2's pose decoder: per input, a 1x1 squeeze conv (last encoder map to 256) and ReLU; concatenation; two 3x3
/// convs of 256 with ReLU; a 1x1 conv to 6 * F; mean over H and W; times 0.01. Modules live in the list <c>net</c>
/// (<c>net.0</c> squeeze, <c>net.1..3</c> pose convs) as in the reference.
/// </summary>
public sealed class PoseDecoder : Module<Tensor[], PoseOutput>
{
    /// <summary>Factor the raw 6-DoF output is multiplied by (keeps initial poses near identity).</summary>
    public const double OutputScale = 0.01;

    private readonly ModuleList<Module<Tensor, Tensor>> net;

    /// <summary>Creates the decoder.</summary>
    /// <param name="encoderChannels">Channels of the five encoder maps (only the last is used).</param>
    /// <param name="inputFeatures">How many encoded inputs are concatenated (1 for the separate pose encoder).</param>
    /// <param name="framesToPredict">Poses predicted per call; default <paramref name="inputFeatures"/> - 1.</param>
    /// <param name="stride">Stride of the two 3x3 convolutions.</param>
    public PoseDecoder(IReadOnlyList<long> encoderChannels, int inputFeatures, int? framesToPredict = null, int stride = 1)
        : base(nameof(PoseDecoder))
    {
        InputFeatures = inputFeatures;
        FramesToPredict = framesToPredict ?? inputFeatures - 1;
        if (inputFeatures < 1 || FramesToPredict < 1)
        {
            throw new ArgumentException("The pose decoder needs at least one input and one frame to predict.");
        }

        net = ModuleList<Module<Tensor, Tensor>>(
            Conv2d(encoderChannels[^1], 256, kernel_size: 1),
            Conv2d(inputFeatures * 256L, 256, kernel_size: 3, stride: stride, padding: 1),
            Conv2d(256, 256, kernel_size: 3, stride: stride, padding: 1),
            Conv2d(256, 6L * FramesToPredict, kernel_size: 1));
        RegisterComponents();
    }

    /// <summary>Number of encoded inputs concatenated.</summary>
    public int InputFeatures { get; }

    /// <summary>Number of poses predicted per call (F).</summary>
    public int FramesToPredict { get; }

    /// <summary>Predicts poses from the last encoder map of each input ([B, C, h, w] each).</summary>
    public override PoseOutput forward(Tensor[] lastFeatures)
    {
        if (lastFeatures.Length != InputFeatures)
        {
            throw new ArgumentException($"Expected {InputFeatures} encoded inputs, got {lastFeatures.Length}.", nameof(lastFeatures));
        }

        using var scope = NewDisposeScope();
        var squeezed = lastFeatures.Select(f => functional.relu(net[0].Run(f))).ToArray();
        var x = squeezed.Length == 1 ? squeezed[0] : cat(squeezed, dim: 1);
        x = functional.relu(net[1].Run(x));
        x = functional.relu(net[2].Run(x));
        x = net[3].Run(x).AsFloat32();
        x = x.mean([3L]).mean([2L]);
        x = (x * S(OutputScale)).view(-1, FramesToPredict, 1, 6);
        var axisAngle = x[.., .., .., ..3].MoveToOuterDisposeScope();
        var translation = x[.., .., .., 3..].MoveToOuterDisposeScope();
        return new PoseOutput(axisAngle, translation);
    }
}
