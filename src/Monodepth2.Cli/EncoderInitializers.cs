using Monodepth2.Onnx;
using Monodepth2.Training;

namespace Monodepth2.Cli;

/// <summary>Chooses the encoder initialiser for training options.</summary>
internal static class EncoderInitializers
{
    /// <summary>ImageNet ResNet-18 weights from the Microsoft.ML.DnnImageFeaturizer.ResNet18 package when an encoder starts from them (<see cref="TrainingOptions.NeedsImageNet"/>); none otherwise.</summary>
    public static IEncoderInitializer? For(TrainingOptions options) => options.NeedsImageNet ? new ImageNetResNet18Initializer() : null;
}
