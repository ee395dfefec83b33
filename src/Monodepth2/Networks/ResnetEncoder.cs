using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static Monodepth2.ScalarCache;

namespace Monodepth2.Networks;

/// <summary>
/// Monodepth2's ResNet encoder: normalises RGB input in [0, 1] as (x - 0.45) / 0.225 and returns five feature maps
/// with <see cref="NumChannels"/> channels at 1/2, 1/4, 1/8, 1/16 and 1/32 of the input size. With two input images
/// (the pose encoder) the first convolution takes 6 channels. State-dict keys are the reference's
/// (<c>encoder.conv1.weight</c>, <c>encoder.layer1.0.conv1.weight</c>, ...); the unused ImageNet classifier
/// (<c>encoder.fc.*</c>) is not part of the module.
/// </summary>
public sealed class ResnetEncoder : Module<Tensor, Tensor[]>
{
    /// <summary>Mean subtracted from inputs in [0, 1] before the first convolution.</summary>
    public const double InputMean = 0.45;

    /// <summary>Standard deviation inputs are divided by before the first convolution.</summary>
    public const double InputStd = 0.225;

    private readonly ResNet encoder;

    /// <summary>Creates an encoder of the given depth for <paramref name="inputImages"/> stacked RGB images.</summary>
    public ResnetEncoder(int layers = 18, int inputImages = 1) : base(nameof(ResnetEncoder))
    {
        Layers = layers;
        InputImages = inputImages;
        encoder = new ResNet(layers, inputImages);
        NumChannels = encoder.Bottleneck ? [64, 256, 512, 1024, 2048] : [64, 64, 128, 256, 512];
        RegisterComponents();
    }

    /// <summary>ResNet depth (18, 34, 50, 101, 152).</summary>
    public int Layers { get; }

    /// <summary>Number of stacked RGB images the first convolution takes.</summary>
    public int InputImages { get; }

    /// <summary>Channels of the five feature maps.</summary>
    public IReadOnlyList<long> NumChannels { get; }

    /// <summary>
    /// Re-initialises the encoder as torchvision's ResNet does (what the reference's encoders start from when not loaded
    /// from ImageNet): every convolution kaiming-normal with mode fan_out for ReLU, std sqrt(2 / (out channels x kernel
    /// area)); every batch norm weight 1, bias 0. Without it the encoder keeps TorchSharp's default (kaiming-uniform,
    /// a = sqrt(5), on fan_in, as PyTorch's own layers), which learns faster in short runs (README, "Training from C#").
    /// </summary>
    public void InitialiseAsTorchvision()
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in encoder.named_modules())
        {
            switch (module)
            {
                case TorchSharp.Modules.Conv2d conv:
                    init.kaiming_normal_(conv.weight!, mode: init.FanInOut.FanOut, nonlinearity: init.NonlinearityType.ReLU);
                    break;
                case TorchSharp.Modules.BatchNorm2d norm:
                    init.ones_(norm.weight!);
                    init.zeros_(norm.bias!);
                    break;
            }
        }
    }

    /// <summary>Encodes images [B, 3 * InputImages, H, W] in [0, 1] into five feature maps.</summary>
    public override Tensor[] forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = (input - S(InputMean)) / S(InputStd);
        var features = encoder.call(x);
        foreach (var f in features)
        {
            f.MoveToOuterDisposeScope();
        }

        return features;
    }
}
