using Monodepth2.Networks;

namespace Monodepth2.Weights;

/// <summary>What a model folder says about the model beyond its weights (from <c>encoder.pth</c>'s extra entries).</summary>
/// <param name="Height">Training input height.</param>
/// <param name="Width">Training input width.</param>
/// <param name="UseStereo">Trained with stereo pairs (depth is metric after x 5.4).</param>
public sealed record ModelInfo(int Height, int Width, bool UseStereo);

/// <summary>
/// A Monodepth2 model folder in the reference's layout: <c>encoder.pth</c> (with <c>height</c>, <c>width</c>,
/// <c>use_stereo</c>), <c>depth.pth</c>, and optionally <c>pose_encoder.pth</c> and <c>pose.pth</c>, each a PyTorch
/// state dict, so folders move both ways between this project and the PyTorch implementation. Encoder files also hold
/// the reference's unused classifier (<see cref="ModuleWeights.ReferenceOnlyTensors"/>), which its scripts require.
/// </summary>
public static class ModelFolder
{
    /// <summary>Writes the networks' weights into <paramref name="folder"/> (each file atomically).</summary>
    public static void Save(string folder, MonodepthNetworks networks, ModelInfo info)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, module) in networks.NamedModules)
        {
            var extras = name == "encoder"
                ? new Dictionary<string, object> { ["height"] = info.Height, ["width"] = info.Width, ["use_stereo"] = info.UseStereo }
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

    /// <summary>Reads <c>encoder.pth</c>'s extra entries.</summary>
    /// <exception cref="InvalidDataException">An entry is missing or of the wrong type.</exception>
    public static ModelInfo ReadInfo(string folder)
    {
        var path = Path.Combine(folder, "encoder.pth");
        using var dict = StateDictFile.Read(path);
        return InfoFrom(dict, path);
    }

    /// <summary>
    /// Loads the weights of every file the networks need from <paramref name="folder"/>; pose files are needed only
    /// when the networks have a pose network and <paramref name="loadPose"/> is true.
    /// </summary>
    /// <exception cref="FileNotFoundException">A needed file is missing (the message names it).</exception>
    /// <exception cref="InvalidDataException">A file does not fit its network.</exception>
    public static ModelInfo Load(string folder, MonodepthNetworks networks, bool loadPose = true)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"{folder}: model folder not found.");
        }

        ModelInfo? info = null;
        foreach (var (name, module) in networks.NamedModules)
        {
            if (!loadPose && name.StartsWith("pose", StringComparison.Ordinal))
            {
                continue;
            }

            var path = Path.Combine(folder, name + ".pth");
            using var dict = StateDictFile.Read(path);
            ModuleWeights.Load(module, dict.Tensors, path);
            if (name == "encoder")
            {
                info = InfoFrom(dict, path);
            }
        }

        return info!;
    }

    private static ModelInfo InfoFrom(StateDict dict, string path)
    {
        int ReadInt(string key) => dict.Extras.TryGetValue(key, out var v) && v is int or long
            ? Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"{path}: the entry '{key}' (training {key}, an integer) is missing.");
        var stereo = dict.Extras.TryGetValue("use_stereo", out var s) && s is bool b
            ? b
            : throw new InvalidDataException($"{path}: the entry 'use_stereo' (a boolean) is missing.");
        return new ModelInfo(ReadInt("height"), ReadInt("width"), stereo);
    }
}
