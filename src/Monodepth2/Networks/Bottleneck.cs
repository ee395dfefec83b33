using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Networks;

/// <summary>
/// torchvision's ResNet bottleneck block (1x1, 3x3 with the stride, 1x1; expansion 4). Keys: <c>conv1..3</c>,
/// <c>bn1..3</c> and optionally <c>downsample.0</c>, <c>downsample.1</c>.
/// </summary>
public sealed class Bottleneck : Module<Tensor, Tensor>
{
    /// <summary>Output channels per unit of <c>planes</c>.</summary>
    public const int Expansion = 4;

    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> bn1;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor> bn2;
    private readonly Module<Tensor, Tensor> conv3;
    private readonly Module<Tensor, Tensor> bn3;
    private readonly Module<Tensor, Tensor> relu;
    private readonly Module<Tensor, Tensor>? downsample;

    /// <summary>Creates the block.</summary>
    public Bottleneck(long inPlanes, long planes, long stride, Module<Tensor, Tensor>? downsample) : base(nameof(Bottleneck))
    {
        conv1 = Conv2d(inPlanes, planes, kernel_size: 1, bias: false);
        bn1 = BatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
        conv3 = Conv2d(planes, planes * Expansion, kernel_size: 1, bias: false);
        bn3 = BatchNorm2d(planes * Expansion);
        relu = ReLU(inplace: true);
        this.downsample = downsample;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? input : downsample.Run(input);
        var x = relu.call(bn1.call(conv1.Run(input)));
        x = relu.call(bn2.call(conv2.Run(x)));
        x = bn3.call(conv3.Run(x));
        return relu.call(x.add_(identity)).MoveToOuterDisposeScope();
    }
}
