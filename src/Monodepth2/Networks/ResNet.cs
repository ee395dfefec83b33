using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Networks;

/// <summary>
/// The convolutional body of a torchvision ResNet (no classifier): <c>conv1</c>, <c>bn1</c>, <c>relu</c>,
/// <c>maxpool</c>, <c>layer1..layer4</c>, with torchvision's parameter names. <see cref="ResnetEncoder"/> wraps it
/// under the field <c>encoder</c>, which gives the reference's <c>encoder.layer1.0.conv1.weight</c> keys.
/// </summary>
public sealed class ResNet : Module<Tensor, Tensor[]>
{
    private readonly Module<Tensor, Tensor> conv1;
    private readonly Module<Tensor, Tensor> bn1;
    private readonly Module<Tensor, Tensor> relu;
    private readonly Module<Tensor, Tensor> maxpool;
    private readonly Sequential layer1;
    private readonly Sequential layer2;
    private readonly Sequential layer3;
    private readonly Sequential layer4;

    /// <summary>Creates the body for the given depth (18, 34, 50, 101 or 152) and number of stacked RGB images.</summary>
    public ResNet(int layers, int inputImages) : base(nameof(ResNet))
    {
        if (inputImages < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputImages), inputImages, "At least one input image is needed.");
        }

        var (blocks, bottleneck) = BlockCounts(layers);
        Bottleneck = bottleneck;
        conv1 = Conv2d(3L * inputImages, 64, kernel_size: 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(64);
        relu = ReLU(inplace: true);
        maxpool = MaxPool2d(kernel_size: 3, stride: 2, padding: 1);
        long inPlanes = 64;
        layer1 = MakeLayer(ref inPlanes, 64, blocks[0], 1, bottleneck);
        layer2 = MakeLayer(ref inPlanes, 128, blocks[1], 2, bottleneck);
        layer3 = MakeLayer(ref inPlanes, 256, blocks[2], 2, bottleneck);
        layer4 = MakeLayer(ref inPlanes, 512, blocks[3], 2, bottleneck);
        RegisterComponents();
    }

    /// <summary>True for ResNet-50 and deeper (bottleneck blocks, 4x channels).</summary>
    public bool Bottleneck { get; }

    /// <summary>Blocks per stage and block type for a supported depth.</summary>
    public static (int[] Blocks, bool Bottleneck) BlockCounts(int layers) => layers switch
    {
        18 => ([2, 2, 2, 2], false),
        34 => ([3, 4, 6, 3], false),
        50 => ([3, 4, 6, 3], true),
        101 => ([3, 4, 23, 3], true),
        152 => ([3, 8, 36, 3], true),
        _ => throw new ArgumentOutOfRangeException(nameof(layers), layers, "ResNet depth must be 18, 34, 50, 101 or 152."),
    };

    /// <summary>
    /// Returns the five feature maps: relu(bn1(conv1(x))) at 1/2 and layer1..layer4 at 1/4..1/32 of the input size.
    /// </summary>
    public override Tensor[] forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var f0 = relu.call(bn1.call(conv1.Run(input)));
        var f1 = layer1.call(maxpool.call(f0));
        var f2 = layer2.call(f1);
        var f3 = layer3.call(f2);
        var f4 = layer4.call(f3);
        Tensor[] features = [f0, f1, f2, f3, f4];
        foreach (var f in features)
        {
            f.MoveToOuterDisposeScope();
        }

        return features;
    }

    private static Sequential MakeLayer(ref long inPlanes, long planes, int blocks, long stride, bool bottleneck)
    {
        var expansion = bottleneck ? Networks.Bottleneck.Expansion : BasicBlock.Expansion;
        Module<Tensor, Tensor>? downsample = null;
        if (stride != 1 || inPlanes != planes * expansion)
        {
            downsample = Sequential(
                ("0", Conv2d(inPlanes, planes * expansion, kernel_size: 1, stride: stride, bias: false)),
                ("1", BatchNorm2d(planes * expansion)));
        }

        var modules = new List<(string, Module<Tensor, Tensor>)>(blocks);
        for (var i = 0; i < blocks; i++)
        {
            Module<Tensor, Tensor> block = bottleneck
                ? new Networks.Bottleneck(inPlanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null)
                : new BasicBlock(inPlanes, planes, i == 0 ? stride : 1, i == 0 ? downsample : null);
            modules.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), block));
            inPlanes = planes * expansion;
        }

        return Sequential(modules);
    }
}
