using Monodepth2.Networks;
using Monodepth2.Weights;

namespace Monodepth2.Tests.Weights;

/// <summary>The architecture of a model folder comes from its weights' keys and shapes, so no caller has to state it.</summary>
public sealed class ModelFolderTests : TorchTestBase, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-folder-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(18, PoseNetworkKind.PoseCnn, true, 4)]
    [InlineData(34, PoseNetworkKind.Shared, true, 4)]
    [InlineData(50, PoseNetworkKind.SeparateResnet, false, 1)]
    public void ArchitectureIsReadFromTheWeights(int layers, PoseNetworkKind pose, bool withPose, int scales)
    {
        var options = new NetworkOptions(layers, Enumerable.Range(0, scales).ToArray(), pose);
        using (var networks = new MonodepthNetworks(options, withPose))
        {
            ModelFolder.Save(dir, networks, new ModelInfo { Width = 128, Height = 64 });
        }

        var info = ModelFolder.ReadInfo(dir);
        Assert.Equal(layers, info.Networks.Layers);
        Assert.Equal(withPose, info.HasPose);
        if (withPose)
        {
            Assert.Equal(pose, info.Networks.PoseKind);
        }

        Assert.Equal(Enumerable.Range(0, scales), info.Networks.EffectiveScales);
        using var model = ModelFolder.Load(dir);
        Assert.Equal(layers, model.Networks.Encoder.Layers);
        Assert.Equal(withPose ? pose : (PoseNetworkKind?)null, model.Networks.Pose?.Kind);
    }

    [Fact]
    public void LoadingIntoNetworksOfAnotherArchitectureNamesBoth()
    {
        using (var networks = new MonodepthNetworks(new NetworkOptions(18), withPose: false))
        {
            ModelFolder.Save(dir, networks, new ModelInfo { Width = 128, Height = 64 });
        }

        using var other = new MonodepthNetworks(new NetworkOptions(34), withPose: false);
        var ex = Assert.Throws<InvalidDataException>(() => ModelFolder.Load(dir, other, loadPose: false));
        Assert.Contains("ResNet-18", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ResNet-34", ex.Message, StringComparison.Ordinal);
        Assert.Contains(dir, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADepthRangeThatCannotWorkIsRefusedNamingTheFile()
    {
        using (var networks = new MonodepthNetworks(withPose: false))
        {
            ModelFolder.Save(dir, networks, new ModelInfo { Width = 128, Height = 64, MinDepth = 10, MaxDepth = 1 });
        }

        var ex = Assert.Throws<InvalidDataException>(() => ModelFolder.ReadInfo(dir));
        Assert.Contains(Path.Combine(dir, "encoder.pth"), ex.Message, StringComparison.Ordinal);
        Assert.Contains("min_depth", ex.Message, StringComparison.Ordinal);
    }
}
