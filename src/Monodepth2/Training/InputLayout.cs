using TorchSharp;
using static TorchSharp.torch;

namespace Monodepth2.Training;

/// <summary>
/// The memory layout the trainer gives the networks' image inputs. Channels-last (NHWC strides under the NCHW shape)
/// lets libtorch's oneDNN convolutions on the CPU run in their native blocked layout, which pays at large inputs and
/// costs at small ones, where the extra reorders outweigh the faster kernels (measured with the train-speed benchmark,
/// README "Training speed"). The layout changes only the summation order inside the convolutions, not the result.
/// </summary>
/// <remarks>
/// Measured on a 2-core AVX-512 machine (2026-12-03, images/s, channels-first against channels-last, runs in the order
/// first, last, last, first): 192x64 batch 4 about equal (5.99 and 7.05 against 6.07 and 6.38), 192x64 batch 12 faster
/// (9.06 and 8.25 against 9.77 and 9.90), 320x96 batch 12 faster (3.14 against 3.81, one run each), 640x192 batch 12
/// faster (0.76 against 0.93); one exception, 416x128 batch 12 (2.05 and 1.65 against 1.93 and 1.91).
/// </remarks>
internal static class InputLayout
{
    /// <summary>Pixels in a batch (width x height x batch size) from which the trainer uses channels-last on a CPU: 192x64 batch 12 and larger.</summary>
    public const long ChannelsLastFromPixels = 140_000;

    /// <summary>Whether training at this size on <paramref name="device"/> lays its inputs out channels-last.</summary>
    public static bool PrefersChannelsLast(Device device, int width, int height, int batch) =>
        device.type == DeviceType.CPU && (long)width * height * batch >= ChannelsLastFromPixels;

    /// <summary>The same values as <paramref name="image"/> (N, C, H, W) with channels-last strides.</summary>
    public static Tensor ToChannelsLast(Tensor image) => image.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
