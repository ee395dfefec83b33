using Monodepth2.Training;

namespace Monodepth2.Cli;

/// <summary>Chooses the encoder initialiser for a <see cref="WeightsInit"/> setting.</summary>
internal static class EncoderInitializers
{
    public static IEncoderInitializer? For(WeightsInit init) => init switch
    {
        WeightsInit.Pretrained => throw new NotSupportedException(
            "--weights-init Pretrained needs the ImageNet ResNet-18 import, which is not available in this build yet; use --weights-init Scratch."),
        _ => null,
    };
}
