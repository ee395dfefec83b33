using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Networks;

/// <summary>Reflection (or zero) padding of 1 followed by a 3x3 convolution with bias. Keys: <c>conv.weight</c>, <c>conv.bias</c>.</summary>
public sealed class Conv3x3 : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> pad;
    private readonly Module<Tensor, Tensor> conv;

    /// <summary>Creates the layer.</summary>
    public Conv3x3(long inChannels, long outChannels, bool reflectionPadding = true) : base(nameof(Conv3x3))
    {
        pad = reflectionPadding ? ReflectionPad2d(1) : ZeroPad2d(1);
        conv = Conv2d(inChannels, outChannels, kernel_size: 3, bias: true);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => conv.Run(pad.call(input));
}
