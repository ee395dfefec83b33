using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Networks;

/// <summary>
/// torchvision's ResNet basic block (two 3x3 convolutions, expansion 1). Keys: <c>conv1</c>, <c>bn1</c>, <c>conv2</c>,
/// <c>bn2</c> and, where the shape changes, <c>downsample.0</c> (1x1 conv) and <c>downsample.1</c> (batch norm).
/// </summary>
public sealed class BasicBlock : Module<Tensor, Tensor>
{
    /// <summary>Output channels per unit of <c>planes</c>.</summary>
    public const int Expansion = 1;

    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> bn1;
    private readonly Module<Tensor, Tensor> conv2;
    private readonly Module<Tensor, Tensor> bn2;
    private readonly Module<Tensor, Tensor> relu;
    private readonly Module<Tensor, Tensor>? downsample;

    /// <summary>Creates the block.</summary>
    public BasicBlock(long inPlanes, long planes, long stride, Module<Tensor, Tensor>? downsample) : base(nameof(BasicBlock))
    {
        conv1 = Conv2d(inPlanes, planes, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(planes);
        conv2 = Conv2d(planes, planes, kernel_size: 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(planes);
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
        x = bn2.call(conv2.Run(x));
        return relu.call(x.add_(identity)).MoveToOuterDisposeScope();
    }
}
