using Monodepth2.Onnx;
using Monodepth2.Training;

namespace Monodepth2.Cli;

/// <summary>Chooses the encoder initialiser for a <see cref="WeightsInit"/> setting.</summary>
internal static class EncoderInitializers
{
    /// <summary>ImageNet ResNet-18 weights from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package for Pretrained; none for Scratch.</summary>
    public static IEncoderInitializer? For(WeightsInit init) => init == WeightsInit.Pretrained ? new ImageNetResNet18Initializer() : null;

    /// <summary>ImageNet weights when either encoder starts from them.</summary>
    public static IEncoderInitializer? For(TrainingOptions options) =>
        For(options.WeightsInit == WeightsInit.Pretrained || options.PoseWeightsInit == WeightsInit.Pretrained ? WeightsInit.Pretrained : WeightsInit.Scratch);
}
