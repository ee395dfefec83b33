using Monodepth2.Networks;
using Monodepth2.Training;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Networks;

/// <summary>
/// <see cref="ResnetEncoder.InitialiseAsTorchvision"/> starts an encoder as torchvision's ResNets (the reference's scratch
/// encoders): every convolution kaiming-normal, mode fan_out, gain sqrt(2) for ReLU, so std = sqrt(2 / (out channels x
/// kernel area)); batch norm weight 1, bias 0. TorchSharp's default (kaiming-uniform with a = sqrt(5) on fan_in) gives
/// another std for each layer checked here and a uniform shape (excess kurtosis -1.2), so the checks fail without it.
/// </summary>
public sealed class EncoderInitialisationTests : TorchTestBase
{
    [Theory]
    [InlineData(1, "encoder.conv1.weight", 64 * 7 * 7)]
    [InlineData(2, "encoder.conv1.weight", 64 * 7 * 7)]
    [InlineData(1, "encoder.layer2.0.downsample.0.weight", 128)]
    [InlineData(2, "encoder.layer4.0.conv2.weight", 512 * 3 * 3)]
    public void ConvolutionsAreKaimingNormalFanOut(int inputImages, string name, int fanOut)
    {
        manual_seed(3);
        using var encoder = new ResnetEncoder(18, inputImages);
        encoder.InitialiseAsTorchvision();
        var parameters = encoder.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var w = Values(parameters[name]).Select(v => (double)v).ToArray();
        var mean = w.Average();
        var std = Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        var kurtosis = (w.Select(v => Math.Pow(v - mean, 4)).Average() / Math.Pow(std, 4)) - 3;
        var expected = Math.Sqrt(2.0 / fanOut);
        Assert.True(Math.Abs(std / expected - 1) < 0.04, $"{name}: std {std:G4}, expected sqrt(2 / {fanOut}) = {expected:G4}");
        Assert.True(Math.Abs(mean) < 4 * expected / Math.Sqrt(w.Length), $"{name}: mean {mean:G4}");
        Assert.True(Math.Abs(kurtosis) < 0.3, $"{name}: excess kurtosis {kurtosis:F3} (normal 0, uniform -1.2)");
    }

    [Fact]
    public void BatchNormsStartAtWeightOneBiasZero()
    {
        using var encoder = new ResnetEncoder(18, 2);
        encoder.InitialiseAsTorchvision();
        var norms = encoder.named_parameters().Where(p => p.name.Contains("bn", StringComparison.Ordinal) || p.name.Contains("downsample.1", StringComparison.Ordinal)).ToList();
        Assert.Equal(2 * 20, norms.Count);   // weight and bias of the stem's, 16 blocks' and 3 downsamples' batch norms
        foreach (var (name, p) in norms)
        {
            var expected = name.EndsWith(".weight", StringComparison.Ordinal) ? 1f : 0f;
            Assert.All(Values(p), v => Assert.Equal(expected, v));
        }
    }

    [Fact]
    public void TheTrainerAppliesItToScratchEncodersOnlyWhenAsked()
    {
        static double Std(Trainer trainer, bool pose)
        {
            var encoder = pose ? trainer.Networks.Pose!.Encoder! : trainer.Networks.Encoder;
            var w = Values(encoder.named_parameters().First(p => p.name == "encoder.conv1.weight").parameter);
            var mean = w.Average();
            return Math.Sqrt(w.Select(v => (v - mean) * (v - mean)).Average());
        }

        var root = Directory.CreateTempSubdirectory("md2-init-").FullName;
        try
        {
            // The default is the reference's initialisation; TorchSharp's layer default only when asked.
            var options = new TrainingOptions { Width = 64, Height = 64, WeightsInit = WeightsInit.Scratch, TensorBoard = false };
            using var reference = new Trainer(options, _ => new EmptyDataset(), root);
            using var plain = new Trainer(options with { ScratchInit = ScratchInit.TorchSharp }, _ => new EmptyDataset(), root);
            var expected = Math.Sqrt(2.0 / (64 * 7 * 7));
            Assert.InRange(Std(reference, pose: false) / expected, 0.96, 1.04);
            Assert.InRange(Std(reference, pose: true) / expected, 0.96, 1.04);
            // TorchSharp's default for this layer: uniform with bound 1 / sqrt(fan_in), std 1 / sqrt(3 x 147) = 0.048.
            Assert.InRange(Std(plain, pose: false), 0.9 / Math.Sqrt(3 * 147), 1.1 / Math.Sqrt(3 * 147));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class EmptyDataset : Monodepth2.Data.IMonodepthDataset
    {
        public Monodepth2.Data.DatasetOptions Options { get; } = new() { Width = 64, Height = 64, FrameIds = [0, -1, 1] };

        public int Count => 0;

        public IReadOnlyList<Monodepth2.Data.SkippedSample> Skipped => [];

        public string Describe(int index) => string.Empty;

        public Monodepth2.Data.MonodepthSample GetSample(int index, Random rng) => throw new InvalidOperationException();

        public Monodepth2.Data.MonodepthSample? TryGetSample(int index, Random rng) => throw new InvalidOperationException();
    }
}
