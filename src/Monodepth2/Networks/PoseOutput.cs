using static TorchSharp.torch;

namespace Monodepth2.Networks;

/// <summary>
/// Raw pose-network output: <see cref="AxisAngle"/> and <see cref="Translation"/>, each [B, F, 1, 3] for F predicted
/// frames (axis-angle in radians; translation in the network's scale-less units).
/// </summary>
public sealed record PoseOutput(Tensor AxisAngle, Tensor Translation) : IDisposable
{
    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        AxisAngle.Dispose();
        Translation.Dispose();
    }
}
