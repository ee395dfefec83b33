using System.Globalization;
using System.Text.Json;
using Monodepth2.Networks;
using Monodepth2.Training;
using Monodepth2.Weights;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Interop;

/// <summary>Files this project writes, read by real PyTorch (<c>torch.load</c>) and by the reference's loading code.</summary>
public sealed class TorchLoadReadsOurFilesTests : TorchTestBase, IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-interop-ours-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void TorchLoadSeesEveryTensorExtraAndAdamStateOfACheckpoint()
    {
        using var networks = new MonodepthNetworks();
        var parameters = networks.Parameters().ToList();
        using var adam = optim.Adam(parameters, lr: 3e-4);
        networks.Train();
        for (var step = 0; step < 2; step++)
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            // Every parameter gets a gradient (so every Adam state entry is filled); the training-mode forward passes
            // move the batch-norm statistics away from their initial values.
            var loss = parameters.Select(p => p.square().sum()).Aggregate((a, b) => a + b) * 1e-3
                       + networks.Encoder.call(rand(2, 3, 64, 96))[4].mean()
                       + networks.Pose!.Encoder!.call(rand(2, 6, 64, 96))[4].mean();
            loss.backward();
            adam.step();
        }

        var info = new ModelInfo { Width = 320, Height = 96, UseStereo = true, MinDepth = 0.5, MaxDepth = 20 };
        var checkpoint = Checkpoints.Save(dir, "interop", networks, info, adam, new TrainerState(1, 3, 2, 42));

        var seen = PythonOracle.RunJson("read_our_files.py", checkpoint);

        foreach (var (name, module) in networks.NamedModules)
        {
            var path = Path.Combine(checkpoint, name + ".pth");
            var file = seen.GetProperty("files").GetProperty(name);
            Assert.Equal("OrderedDict", file.GetProperty("container").GetString());
            var tensors = file.GetProperty("tensors").EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!);

            // The reference's keys and shapes (not its order: TorchSharp lists parameters before buffers, and loading
            // goes by key).
            var reference = ReferenceKeys.ForFile(name);
            Assert.Equal(reference.Select(r => r.Key).Order(StringComparer.Ordinal), tensors.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, shape) in reference)
            {
                var actual = TensorChecksums.Shape(tensors[key]);
                Assert.True(shape.SequenceEqual(actual), $"{name}.pth {key}: PyTorch sees [{string.Join(", ", actual)}], the reference has [{string.Join(", ", shape)}]");
            }

            // Values: every tensor of the module as PyTorch sees it.
            foreach (var (key, value) in module.state_dict())
            {
                TensorChecksums.AssertMatches(tensors[key], value, $"{name}.pth {key}");
            }

            // Non-tensor entries: exactly those our own reader returns, with the same values and Python types.
            using var ours = StateDictFile.Read(path);
            var extras = file.GetProperty("extras");
            Assert.Equal(ours.Extras.Keys.Order(StringComparer.Ordinal), extras.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            foreach (var (key, value) in ours.Extras)
            {
                AssertSameEntry($"{name}.pth {key}", value, extras.GetProperty(key));
            }

            if (name == "encoder")
            {
                AssertPython(extras, "height", "int", v => v.GetInt64() == info.Height);
                AssertPython(extras, "width", "int", v => v.GetInt64() == info.Width);
                AssertPython(extras, "use_stereo", "bool", v => v.GetBoolean() == info.UseStereo);
            }
        }

        var state = adam.state_dict();
        var python = seen.GetProperty("adam");
        Assert.Equal(["param_groups", "state"], python.GetProperty("top_keys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(parameters.Count, python.GetProperty("state_count").GetInt32());
        Assert.Equal(parameters.Count, state.State.Count);
        for (var i = 0; i < parameters.Count; i++)
        {
            var entry = python.GetProperty("state").GetProperty(i.ToString(CultureInfo.InvariantCulture));
            var ours = (Adam.State)state.State[i];
            Assert.Equal("int", entry.GetProperty("index_type").GetString());
            Assert.Equal("Tensor", entry.GetProperty("step").GetProperty("type").GetString());
            Assert.Equal(2.0, entry.GetProperty("step").GetProperty("value").GetDouble());
            Assert.Equal(ours.step, (long)entry.GetProperty("step").GetProperty("value").GetDouble());
            // State i belongs to parameter i (the reference's order: encoder, depth, pose_encoder, pose).
            Assert.True(parameters[i].shape.SequenceEqual(TensorChecksums.Shape(entry.GetProperty("exp_avg"))), $"adam state {i}: shape differs from parameter {i}");
            TensorChecksums.AssertMatches(entry.GetProperty("exp_avg"), ours.exp_avg, $"adam state {i} exp_avg");
            TensorChecksums.AssertMatches(entry.GetProperty("exp_avg_sq"), ours.exp_avg_sq, $"adam state {i} exp_avg_sq");
        }

        var groups = python.GetProperty("param_groups").EnumerateArray().ToList();
        var group = Assert.Single(groups);
        AssertPython(group, "lr", "float", v => v.GetDouble() == 3e-4);
        AssertPython(group, "eps", "float", v => v.GetDouble() == 1e-8);
        AssertPython(group, "weight_decay", "float", v => v.GetDouble() == 0);
        AssertPython(group, "amsgrad", "bool", v => !v.GetBoolean());
        AssertPython(group, "betas", "tuple", v => v.EnumerateArray().Select(b => b.GetDouble()).SequenceEqual([0.9, 0.999]));
        Assert.Equal(Enumerable.Range(0, parameters.Count), group.GetProperty("params").EnumerateArray().Select(p => p.GetInt32()));

        // PyTorch's own Adam accepted the file and took one more step from it.
        Assert.Equal(3e-4, python.GetProperty("reloaded").GetProperty("lr").GetDouble());
        Assert.Equal(3.0, python.GetProperty("reloaded").GetProperty("step_after_one_more").GetDouble());
    }

    [Fact]
    public void ReferenceLoadingCodeAcceptsOurModelFolder()
    {
        using var networks = new MonodepthNetworks();
        ModelFolder.Save(dir, networks, new ModelInfo { Width = 640, Height = 192, UseStereo = false });

        var seen = PythonOracle.RunJson("reference_loading.py", dir);

        // evaluate_depth.py / test_simple.py: filter by the reference encoder's keys, then load_state_dict (strict).
        var encoder = seen.GetProperty("encoder");
        Assert.True(encoder.GetProperty("load_error").ValueKind == JsonValueKind.Null, $"encoder.pth: {encoder.GetProperty("load_error")}");
        Assert.True(encoder.GetProperty("values_loaded").GetBoolean());
        using var ours = StateDictFile.Read(Path.Combine(dir, "encoder.pth"));
        var dropped = encoder.GetProperty("dropped").EnumerateArray().Select(k => k.GetString()!).ToList();
        Assert.Equal(ours.Extras.Keys.Order(StringComparer.Ordinal), dropped.Order(StringComparer.Ordinal));
        Assert.Subset(dropped.ToHashSet(), new HashSet<string> { "height", "width", "use_stereo" });
        Assert.Equal(192, encoder.GetProperty("height").GetInt32());
        Assert.Equal(640, encoder.GetProperty("width").GetInt32());

        // evaluate_pose.py: load_state_dict(torch.load(pose_encoder_path)), unfiltered and strict.
        var poseEncoder = seen.GetProperty("pose_encoder");
        Assert.True(poseEncoder.GetProperty("load_error").ValueKind == JsonValueKind.Null, $"pose_encoder.pth: {poseEncoder.GetProperty("load_error")}");

        foreach (var name in new[] { "depth", "pose" })
        {
            var keys = seen.GetProperty("keys").GetProperty(name).EnumerateArray()
                .Select(k => (Key: k[0].GetString()!, Shape: k[1].ValueKind == JsonValueKind.Array ? k[1].EnumerateArray().Select(d => d.GetInt64()).ToArray() : [-1]))
                .ToList();
            var reference = ReferenceKeys.ForFile(name);
            Assert.Equal(reference.Select(r => r.Key).Order(StringComparer.Ordinal), keys.Select(k => k.Key).Order(StringComparer.Ordinal));
            var shapes = keys.ToDictionary(k => k.Key, k => k.Shape);
            foreach (var (key, expected) in reference)
            {
                Assert.True(expected.SequenceEqual(shapes[key]), $"{name}.pth {key}: [{string.Join(", ", shapes[key])}], the reference has [{string.Join(", ", expected)}]");
            }
        }
    }

    private static void AssertPython(JsonElement entries, string key, string type, Func<JsonElement, bool> valueOk)
    {
        Assert.True(entries.TryGetProperty(key, out var entry), $"PyTorch sees no entry '{key}'");
        Assert.True(entry.GetProperty("type").GetString() == type, $"{key}: Python type {entry.GetProperty("type").GetString()}, expected {type}");
        Assert.True(valueOk(entry.GetProperty("value")), $"{key}: unexpected value {entry.GetProperty("value")}");
    }

    private static void AssertSameEntry(string what, object ours, JsonElement python)
    {
        var type = python.GetProperty("type").GetString();
        var value = python.GetProperty("value");
        var (expectedType, same) = ours switch
        {
            bool b => ("bool", value.ValueKind is JsonValueKind.True or JsonValueKind.False && value.GetBoolean() == b),
            int or long => ("int", value.ValueKind == JsonValueKind.Number && value.GetInt64() == Convert.ToInt64(ours, CultureInfo.InvariantCulture)),
            double or float => ("float", value.ValueKind == JsonValueKind.Number && value.GetDouble() == Convert.ToDouble(ours, CultureInfo.InvariantCulture)),
            string s => ("str", value.ValueKind == JsonValueKind.String && value.GetString() == s),
            _ => (ours.GetType().Name, false),
        };
        Assert.True(type == expectedType && same, $"{what}: PyTorch sees {type} {value}, our reader {ours.GetType().Name} {ours}");
    }
}
