using System.Text.Json;
using Monodepth2.Networks;
using Monodepth2.Weights;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Interop;

/// <summary>Model folders written by real <c>torch.save</c> (as the reference's trainer writes them) load here.</summary>
public sealed class TorchSaveFilesLoadHereTests : TorchTestBase, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-interop-torch-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ModelFolderWrittenByTorchSaveLoadsWithTheSameValues()
    {
        using var networks = new MonodepthNetworks();
        var shapesPath = Path.Combine(dir, "shapes.json");
        File.WriteAllText(shapesPath, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["depth"] = Describe(networks.Decoder),
            ["pose"] = Describe(networks.Pose!.Decoder!),
        }));
        var folder = Path.Combine(dir, "model");

        var saved = PythonOracle.RunJson("write_torch_files.py", folder, shapesPath);

        var info = ModelFolder.Load(folder, networks);
        // A folder as the reference writes it: no min_depth/max_depth, so the reference's defaults; the architecture from the keys.
        Assert.Equal((640, 192, false, 0.1, 100.0), (info.Width, info.Height, info.UseStereo, info.MinDepth, info.MaxDepth));
        Assert.Equal((18, PoseNetworkKind.SeparateResnet, true), (info.Networks.Layers, info.Networks.PoseKind, info.HasPose));
        Assert.Equal([0, 1, 2, 3], info.Networks.EffectiveScales);
        foreach (var (name, module) in networks.NamedModules)
        {
            var tensors = saved.GetProperty("files").GetProperty(name).GetProperty("tensors").EnumerateArray()
                .ToDictionary(t => t.GetProperty("key").GetString()!);
            var state = module.state_dict();
            // Everything PyTorch saved went somewhere, except the classifier the reference keeps and we do not use.
            Assert.Equal(
                tensors.Keys.Where(k => !ModuleWeights.IsIgnoredReferenceKey(k)).Order(StringComparer.Ordinal),
                state.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, value) in state)
            {
                TensorChecksums.AssertMatches(tensors[key], value, $"{name}.pth {key}");
            }
        }

        // torch.save's legacy (pre-1.6, non-zip) format: our reader refuses it with an error that names the file.
        var legacy = Path.Combine(folder, "legacy", "encoder.pth");
        var error = Assert.Throws<InvalidDataException>(() => StateDictFile.Read(legacy));
        Assert.Contains(legacy, error.Message, StringComparison.Ordinal);
    }

    private static List<object[]> Describe(nn.Module module) =>
        module.state_dict().Select(kv => new object[] { kv.Key, kv.Value.shape, TensorChecksums.DTypeName(kv.Value.dtype) }).ToList();
}
