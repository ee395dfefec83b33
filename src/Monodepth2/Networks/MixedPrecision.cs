using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Networks;

/// <summary>
/// Mixed precision without autocast (TorchSharp has none): the networks run in their input's type. A bfloat16 input
/// runs every convolution in bfloat16 with its float32 weights cast inside the graph, so the gradients, the optimiser
/// and the checkpoints stay float32 (the master weights); batch norms take bfloat16 inputs with float32 parameters and
/// statistics (libtorch's mixed-type kernel); the decoders return float32. A float32 input takes the plain path.
/// </summary>
internal static class MixedPrecision
{
    /// <summary>
    /// Runs <paramref name="module"/> on <paramref name="input"/>: a convolution (or a sequence holding one) whose
    /// weights differ in type from the input as a functional convolution on cast weights, anything else as itself.
    /// </summary>
    public static Tensor Run(this Module<Tensor, Tensor> module, Tensor input)
    {
        switch (module)
        {
            case Conv2d conv when conv.weight!.dtype != input.dtype:
                if (conv.padding_mode != PaddingModes.Zeros || conv.padding is null)
                {
                    throw new NotSupportedException("Mixed precision supports zero-padded convolutions with explicit padding only.");
                }

                using (var weight = conv.weight.to(input.dtype))
                using (var bias = conv.bias?.to(input.dtype))
                {
                    return functional.conv2d(input, weight, bias, conv.stride, conv.padding, conv.dilation, conv.groups);
                }

            case Sequential sequence when input.dtype != ScalarType.Float32:
                var x = input;
                foreach (var child in sequence.children())
                {
                    x = ((Module<Tensor, Tensor>)child).Run(x);
                }

                return x;
            default:
                return module.call(input);
        }
    }

    /// <summary>The tensor in float32: itself when it already is (a network's outputs, whatever it computed in).</summary>
    public static Tensor AsFloat32(this Tensor tensor) => tensor.dtype == ScalarType.Float32 ? tensor : tensor.to(ScalarType.Float32);
}
