using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static Monodepth2.ScalarCache;

namespace Monodepth2.Networks;

/// <summary>
/// The reference's "posecnn" pose network: seven strided convolutions with ReLU (<c>net.0..6</c>) on the stacked
/// frames, a 1x1 <c>pose_conv</c> to 6 * (N - 1), mean over H and W, times 0.01.
/// </summary>
public sealed class PoseCnn : Module<Tensor, PoseOutput>
{
    private readonly ModuleList<Module<Tensor, Tensor>> net;
    private readonly Module<Tensor, Tensor> pose_conv;

    /// <summary>Creates the network for <paramref name="inputFrames"/> stacked RGB frames.</summary>
    public PoseCnn(int inputFrames) : base(nameof(PoseCnn))
    {
        if (inputFrames < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(inputFrames), inputFrames, "PoseCNN needs at least two frames.");
        }

        InputFrames = inputFrames;
        net = ModuleList<Module<Tensor, Tensor>>(
            Conv2d(3L * inputFrames, 16, kernel_size: 7, stride: 2, padding: 3),
            Conv2d(16, 32, kernel_size: 5, stride: 2, padding: 2),
            Conv2d(32, 64, kernel_size: 3, stride: 2, padding: 1),
            Conv2d(64, 128, kernel_size: 3, stride: 2, padding: 1),
            Conv2d(128, 256, kernel_size: 3, stride: 2, padding: 1),
            Conv2d(256, 256, kernel_size: 3, stride: 2, padding: 1),
            Conv2d(256, 256, kernel_size: 3, stride: 2, padding: 1));
        pose_conv = Conv2d(256, 6L * (inputFrames - 1), kernel_size: 1);
        RegisterComponents();
    }

    /// <summary>Number of stacked frames.</summary>
    public int InputFrames { get; }

    /// <summary>Predicts N - 1 poses from frames stacked on the channel axis, [B, 3N, H, W] in [0, 1].</summary>
    public override PoseOutput forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        foreach (var conv in net)
        {
            x = functional.relu(conv.Run(x));
        }

        x = pose_conv.Run(x).AsFloat32().mean([3L]).mean([2L]);
        x = (x * S(PoseDecoder.OutputScale)).view(-1, InputFrames - 1, 1, 6);
        return new PoseOutput(x[.., .., .., ..3].MoveToOuterDisposeScope(), x[.., .., .., 3..].MoveToOuterDisposeScope());
    }
}
