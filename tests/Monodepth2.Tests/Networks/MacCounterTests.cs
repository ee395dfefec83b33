using Monodepth2.Networks;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Monodepth2.Tests.Networks;

public sealed class MacCounterTests : TorchTestBase
{
    [Fact]
    public void SingleConvolutionAndLinearLayer()
    {
        using var conv = Conv2d(3, 8, kernel_size: 3, padding: 1);
        using var x = rand(1, 3, 10, 12);
        // 8 x 10 x 12 outputs, each 3 x 3 x 3 multiply-adds.
        Assert.Equal(8 * 10 * 12 * 27, MacCounter.Count([conv], () => conv.call(x).Dispose()));
        using var linear = Linear(5, 4);
        using var v = rand(2, 5);
        Assert.Equal(2 * 4 * 5, MacCounter.Count([linear], () => linear.call(v).Dispose()));
    }

    [Fact]
    public void ResNet18EncoderAt224MatchesHandCount()
    {
        // conv1 112^2*64*3*49; layer1 4 x 56^2*64*64*9; layers 2-4 each: one strided 3x3, three 3x3, one 1x1 downsample,
        // all of which come to 411,041,792 per stage. Sum 1,813,561,344 (torchvision's 1.814 G minus the classifier).
        using var encoder = new ResnetEncoder(18, 1);
        encoder.eval();
        using var x = rand(1, 3, 224, 224);
        using var noGrad = no_grad();
        var macs = MacCounter.Count([encoder], () =>
        {
            foreach (var f in encoder.call(x))
            {
                f.Dispose();
            }
        });
        Assert.Equal(1_813_561_344L, macs);
    }
}
