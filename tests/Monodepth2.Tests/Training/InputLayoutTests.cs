using Monodepth2.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Training;

/// <summary>The trainer's choice of memory layout for the networks' image inputs.</summary>
public sealed class InputLayoutTests : TorchTestBase
{
    [Fact]
    public void ChannelsLastFromTheMeasuredSizeOnTheCpuOnly()
    {
        var cpu = new Device(DeviceType.CPU);
        Assert.False(InputLayout.PrefersChannelsLast(cpu, 192, 64, 4));
        Assert.True(InputLayout.PrefersChannelsLast(cpu, 192, 64, 12));
        Assert.True(InputLayout.PrefersChannelsLast(cpu, 640, 192, 12));
        // The threshold is on pixels a batch, whichever way they are made up.
        var side = (int)Math.Sqrt(InputLayout.ChannelsLastFromPixels);
        Assert.True(InputLayout.PrefersChannelsLast(cpu, side + 1, side + 1, 1));
        Assert.False(InputLayout.PrefersChannelsLast(cpu, side - 1, side - 1, 1));
        Assert.False(InputLayout.PrefersChannelsLast(new Device(DeviceType.CUDA), 640, 192, 12));
    }

    [Fact]
    public void ChannelsLastKeepsShapeAndValuesAndMovesTheChannelsInnermost()
    {
        using var image = arange(2 * 3 * 4 * 5, dtype: ScalarType.Float32).reshape(2, 3, 4, 5);
        using var last = InputLayout.ToChannelsLast(image);
        Assert.Equal(image.shape, last.shape);
        Assert.Equal([60L, 1, 15, 3], last.stride());
        Assert.True(last.eq(image).all().item<bool>());
        // Element (n, c, y, x) sits at n*60 + y*15 + x*3 + c in memory.
        using var raw = last.as_strided([120], [1]);
        var memory = raw.data<float>().ToArray();
        Assert.Equal(image[1, 2, 3, 4].item<float>(), memory[60 + (3 * 15) + (4 * 3) + 2]);
    }
}
