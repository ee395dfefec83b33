using Monodepth2.Networks;

namespace Monodepth2.Training;

/// <summary>Sets encoder weights before training (e.g. ImageNet weights for <see cref="WeightsInit.Pretrained"/>).</summary>
public interface IEncoderInitializer
{
    /// <summary>Initialises the depth encoder and the pose encoder (6-channel first convolution); a null one is left as it is.</summary>
    void Initialize(ResnetEncoder? depthEncoder, ResnetEncoder? poseEncoder);
}
