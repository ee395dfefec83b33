using System.Globalization;
using System.Text.RegularExpressions;
using Monodepth2.Geometry;
using Monodepth2.Networks;

namespace Monodepth2.Weights;

/// <summary>
/// A Monodepth2 model folder in the reference's layout: <c>encoder.pth</c>, <c>depth.pth</c>, and optionally
/// <c>pose_encoder.pth</c> and <c>pose.pth</c>, each a PyTorch state dict, so folders move both ways between this
/// project and the PyTorch implementation. The folder is the one description of its model (<see cref="ModelInfo"/>):
/// <c>encoder.pth</c> carries the reference's <c>height</c>, <c>width</c>, <c>use_stereo</c> and, written here,
/// <c>metric</c>, <c>min_depth</c> and <c>max_depth</c> (the reference's loaders keep only keys their networks have, so it still loads
/// there); the ResNet depth, decoder scales and pose variant are read from the weights' keys and shapes.
/// Encoder files also hold the reference's unused classifier (<see cref="ModuleWeights.ReferenceOnlyTensors"/>), which its
/// scripts load strictly.
/// </summary>
public static partial class ModelFolder
{
    private const string EncoderFile = "encoder.pth";

    /// <summary>Writes the networks' weights and <paramref name="info"/> into <paramref name="folder"/> (each file atomically).</summary>
    public static void Save(string folder, MonodepthNetworks networks, ModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(networks);
        ArgumentNullException.ThrowIfNull(info);
        Directory.CreateDirectory(folder);
        foreach (var (name, module) in networks.NamedModules)
        {
            var extras = name == "encoder"
                ? new Dictionary<string, object>
                {
                    ["height"] = info.Height, ["width"] = info.Width, ["use_stereo"] = info.UseStereo, ["metric"] = info.Metric,
                    ["min_depth"] = info.MinDepth, ["max_depth"] = info.MaxDepth,
                }
                : null;
            var classifier = ModuleWeights.ReferenceOnlyTensors(module);
            try
            {
                StateDictFile.Write(Path.Combine(folder, name + ".pth"), module.state_dict().Concat(classifier), extras);
            }
            finally
            {
                foreach (var (_, t) in classifier)
                {
                    t.Dispose();
                }
            }
        }
    }

    /// <summary>Reads the description of the model in <paramref name="folder"/> without building its networks.</summary>
    /// <exception cref="FileNotFoundException">A needed file is missing (the message names it).</exception>
    /// <exception cref="InvalidDataException">An entry is missing or of the wrong type, or the weights fit no known architecture.</exception>
    public static ModelInfo ReadInfo(string folder)
    {
        using var files = ReadFiles(folder, withPose: true);
        return Describe(folder, files);
    }

    /// <summary>
    /// Builds the networks that <paramref name="folder"/> describes and loads their weights: the depth networks, and the
    /// pose network when <paramref name="withPose"/> and the folder has one.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="FileNotFoundException">A needed file is missing (the message names it).</exception>
    /// <exception cref="InvalidDataException">A file does not fit its network or the description is incomplete.</exception>
    public static MonodepthModel Load(string folder, bool withPose = true)
    {
        using var files = ReadFiles(folder, withPose);
        var info = Describe(folder, files);
        TorchRuntime.EnsureLoaded();
        var networks = new MonodepthNetworks(info.Networks, withPose: withPose && info.HasPose);
        try
        {
            Fill(folder, networks, files, withPose);
            return new MonodepthModel(folder, info, networks);
        }
        catch
        {
            networks.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads the weights of <paramref name="folder"/> into networks that already exist (resuming training), after
    /// checking that the folder's architecture is theirs; pose files only when <paramref name="loadPose"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The folder holds another architecture than <paramref name="networks"/> (the message names both).</exception>
    public static ModelInfo Load(string folder, MonodepthNetworks networks, bool loadPose = true)
    {
        ArgumentNullException.ThrowIfNull(networks);
        using var files = ReadFiles(folder, loadPose && networks.Pose is not null);
        var info = Describe(folder, files);
        var want = networks.Options;
        if (info.Networks.Layers != want.Layers || !info.Networks.EffectiveScales.SequenceEqual(want.EffectiveScales) ||
            (networks.Pose is not null && loadPose && (!info.HasPose || info.Networks.PoseKind != want.PoseKind)))
        {
            throw new InvalidDataException(
                $"{folder}: holds a {Architecture(info)} model, but the networks to fill are ResNet-{want.Layers} with scales " +
                $"{string.Join(", ", want.EffectiveScales)} and pose {(networks.Pose is null ? "none" : want.PoseKind.ToString())}.");
        }

        Fill(folder, networks, files, loadPose);
        return info;
    }

    private static string Architecture(ModelInfo info) =>
        $"ResNet-{info.Networks.Layers}, scales {string.Join(", ", info.Networks.EffectiveScales)}, pose {(info.HasPose ? info.Networks.PoseKind.ToString() : "none")}";

    private static void Fill(string folder, MonodepthNetworks networks, FolderFiles files, bool loadPose)
    {
        foreach (var (name, module) in networks.NamedModules)
        {
            if (name == "predictive_mask" || (!loadPose && name.StartsWith("pose", StringComparison.Ordinal)))
            {
                continue;
            }

            var path = Path.Combine(folder, name + ".pth");
            var dict = files.Dicts.TryGetValue(name, out var d) ? d : throw new FileNotFoundException($"{path}: not found in the model folder.", path);
            ModuleWeights.Load(module, dict.Tensors, path);
        }
    }

    private static FolderFiles ReadFiles(string folder, bool withPose)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{folder}: model folder not found.");
        }

        var files = new Dictionary<string, StateDict>();
        try
        {
            foreach (var name in withPose ? new[] { "encoder", "depth", "pose_encoder", "pose" } : ["encoder", "depth"])
            {
                var path = Path.Combine(folder, name + ".pth");
                if (File.Exists(path))
                {
                    files[name] = StateDictFile.Read(path);
                }
                else if (name is "encoder" or "depth")
                {
                    throw new FileNotFoundException($"{path}: not found; a model folder needs encoder.pth and depth.pth.", path);
                }
            }

            return new FolderFiles(files);
        }
        catch
        {
            new FolderFiles(files).Dispose();
            throw;
        }
    }

    private static ModelInfo Describe(string folder, FolderFiles folderFiles)
    {
        var files = folderFiles.Dicts;
        var encoderPath = Path.Combine(folder, EncoderFile);
        var encoder = files["encoder"];
        int ReadInt(string key) => encoder.Extras.TryGetValue(key, out var v) && v is int or long
            ? Convert.ToInt32(v, CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"{encoderPath}: the entry '{key}' (training {key}, an integer) is missing.");
        double ReadDepth(string key, double fallback) => !encoder.Extras.TryGetValue(key, out var v) ? fallback
            : v is double or float or int or long ? Convert.ToDouble(v, CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"{encoderPath}: the entry '{key}' must be a number (got {v.GetType().Name}).");
        var stereo = encoder.Extras.TryGetValue("use_stereo", out var s) && s is bool b
            ? b
            : throw new InvalidDataException($"{encoderPath}: the entry 'use_stereo' (a boolean) is missing.");
        var metric = !encoder.Extras.TryGetValue("metric", out var m) ? stereo
            : m is bool mb ? mb
            : throw new InvalidDataException($"{encoderPath}: the entry 'metric' must be a boolean (got {m.GetType().Name}).");
        var min = ReadDepth("min_depth", DepthConversion.DefaultMinDepth);
        var max = ReadDepth("max_depth", DepthConversion.DefaultMaxDepth);
        if (!(min > 0) || !(max > min) || double.IsInfinity(max))
        {
            throw new InvalidDataException($"{encoderPath}: min_depth {min} and max_depth {max} must satisfy 0 < min_depth < max_depth.");
        }

        var layers = InferLayers(encoder, encoderPath);
        var scales = InferScales(files["depth"], Path.Combine(folder, "depth.pth"));
        var hasPose = files.ContainsKey("pose");
        var kind = PoseNetworkKind.SeparateResnet;
        if (hasPose)
        {
            if (files.TryGetValue("pose_encoder", out var poseEncoder))
            {
                var poseLayers = InferLayers(poseEncoder, Path.Combine(folder, "pose_encoder.pth"));
                if (poseLayers != layers)
                {
                    throw new InvalidDataException($"{folder}: the pose encoder is ResNet-{poseLayers} but the depth encoder ResNet-{layers}; both must have the same depth here.");
                }
            }
            else
            {
                kind = files["pose"].Tensors.Keys.Any(k => k.StartsWith("pose_conv", StringComparison.Ordinal)) ? PoseNetworkKind.PoseCnn : PoseNetworkKind.Shared;
                // A shared-encoder decoder squeezes two feature maps (its net.1 takes 2 x 256 channels); one that takes
                // 256 belongs to a separate pose encoder whose file is missing.
                if (kind == PoseNetworkKind.Shared && files["pose"].Tensors.TryGetValue("net.1.weight", out var net1) && net1.shape is [_, 256, ..])
                {
                    var missing = Path.Combine(folder, "pose_encoder.pth");
                    throw new FileNotFoundException($"{missing}: not found; pose.pth is the decoder of a separate pose encoder, which needs pose_encoder.pth.", missing);
                }
            }
        }

        return new ModelInfo
        {
            Width = ReadInt("width"), Height = ReadInt("height"), UseStereo = stereo, Metric = metric, MinDepth = min, MaxDepth = max,
            Networks = new NetworkOptions(layers, scales, kind), HasPose = hasPose,
        };
    }

    /// <summary>The ResNet depth of an encoder state dict: blocks in layer3 and whether blocks are bottlenecks.</summary>
    private static int InferLayers(StateDict dict, string path)
    {
        var keys = dict.Tensors.Keys;
        var blocks = keys.Where(k => k.StartsWith("encoder.layer3.", StringComparison.Ordinal))
            .Select(k => int.Parse(k.Split('.')[2], CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max() + 1;
        var bottleneck = keys.Any(k => k.StartsWith("encoder.layer1.", StringComparison.Ordinal) && k.EndsWith("conv3.weight", StringComparison.Ordinal));
        return (blocks, bottleneck) switch
        {
            (2, false) => 18,
            (6, false) => 34,
            (6, true) => 50,
            (23, true) => 101,
            (36, true) => 152,
            _ => throw new InvalidDataException($"{path}: not a ResNet-18/34/50/101/152 encoder ({blocks} blocks in layer3, {(bottleneck ? "bottleneck" : "basic")} blocks)."),
        };
    }

    /// <summary>The decoder's output scales: one disparity head <c>decoder.N.conv.weight</c> per scale after the ten up-convolutions.</summary>
    private static int[] InferScales(StateDict dict, string path)
    {
        var heads = dict.Tensors.Keys.Count(k => DispHead().IsMatch(k));
        return heads is >= 1 and <= 4
            ? Enumerable.Range(0, heads).ToArray()
            : throw new InvalidDataException($"{path}: not a depth decoder ({heads} disparity heads; expected 1 to 4).");
    }

    [GeneratedRegex(@"^decoder\.\d+\.conv\.weight$")]
    private static partial Regex DispHead();

    /// <summary>The state dicts read from a model folder, by file name without .pth; disposing disposes them all.</summary>
    private sealed class FolderFiles(Dictionary<string, StateDict> dicts) : IDisposable
    {
        public Dictionary<string, StateDict> Dicts { get; } = dicts;

        public void Dispose()
        {
            foreach (var dict in Dicts.Values)
            {
                dict.Dispose();
            }
        }
    }
}
