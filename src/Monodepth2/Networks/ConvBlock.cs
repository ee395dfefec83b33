using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Networks;

/// <summary>A <see cref="Conv3x3"/> followed by ELU. Keys: <c>conv.conv.weight</c>, <c>conv.conv.bias</c>.</summary>
public sealed class ConvBlock : Module<Tensor, Tensor>
{
    private readonly Conv3x3 conv;
    private readonly Module<Tensor, Tensor> nonlin;

    /// <summary>Creates the block.</summary>
    public ConvBlock(long inChannels, long outChannels) : base(nameof(ConvBlock))
    {
        conv = new Conv3x3(inChannels, outChannels);
        nonlin = ELU(inplace: true);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => nonlin.call(conv.call(input));
}
