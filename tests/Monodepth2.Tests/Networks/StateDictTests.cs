using Monodepth2.Networks;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Networks;

public sealed class StateDictTests : TorchTestBase
{
    private static List<(string Key, long[] Shape)> ReadReference(string file) =>
        File.ReadAllLines(FixturePath(file))
            .Where(l => l.Length > 0)
            .Select(l => l.Split(' '))
            .Select(p => (p[0], p.Length > 1 && p[1].Length > 0 ? p[1].Split(',').Select(long.Parse).ToArray() : Array.Empty<long>()))
            .ToList();

    private static void AssertKeys(nn.Module module, string file)
    {
        var expected = ReadReference(file);
        var actual = module.state_dict().Select(kv => (kv.Key, kv.Value.shape)).ToList();
        Assert.Equal(expected.Select(e => e.Key).Order(StringComparer.Ordinal), actual.Select(a => a.Key).Order(StringComparer.Ordinal));
        var shapes = actual.ToDictionary(a => a.Key, a => a.shape);
        foreach (var (key, shape) in expected)
        {
            Assert.True(shape.SequenceEqual(shapes[key]), $"{key}: expected [{string.Join(",", shape)}], got [{string.Join(",", shapes[key])}]");
        }
    }

    private static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    [Fact]
    public void DepthEncoderKeysAndCountMatchReference()
    {
        using var encoder = new ResnetEncoder(18, 1);
        AssertKeys(encoder, "encoder18_keys.txt");
        Assert.Equal(11_176_512, ParameterCount(encoder));
    }

    [Fact]
    public void PoseEncoderKeysAndCountMatchReference()
    {
        using var encoder = new ResnetEncoder(18, 2);
        AssertKeys(encoder, "pose_encoder18_keys.txt");
        Assert.Equal(11_185_920, ParameterCount(encoder));
    }

    [Fact]
    public void DepthDecoderKeysAndCountMatchReference()
    {
        using var decoder = new DepthDecoder([64, 64, 128, 256, 512]);
        AssertKeys(decoder, "depth_decoder_keys.txt");
        Assert.Equal(3_152_724, ParameterCount(decoder));
    }

    [Fact]
    public void PoseDecoderKeysAndCountMatchReference()
    {
        using var decoder = new PoseDecoder([64, 64, 128, 256, 512], inputFeatures: 1, framesToPredict: 2);
        AssertKeys(decoder, "pose_decoder_keys.txt");
        Assert.Equal(1_314_572, ParameterCount(decoder));
    }

    [Theory]
    [InlineData(34, 21_284_672)]
    [InlineData(50, 23_508_032)]
    public void DeeperEncodersHaveTorchvisionParameterCounts(int layers, long withoutFc)
    {
        // torchvision: resnet34 21,797,672 and resnet50 25,557,032 parameters including fc (512*1000+1000 and 2048*1000+1000).
        using var encoder = new ResnetEncoder(layers, 1);
        Assert.Equal(withoutFc, ParameterCount(encoder));
    }

    [Fact]
    public void PoseCnnKeys()
    {
        using var net = new PoseCnn(3);
        var keys = net.state_dict().Keys.Order(StringComparer.Ordinal).ToArray();
        string[] expected = [.. Enumerable.Range(0, 7).SelectMany(i => new[] { $"net.{i}.bias", $"net.{i}.weight" }), "pose_conv.bias", "pose_conv.weight"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), keys);
    }
}
