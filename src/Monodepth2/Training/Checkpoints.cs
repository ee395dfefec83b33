using Monodepth2.Networks;
using Monodepth2.Weights;
using TorchSharp.PyBridge;

namespace Monodepth2.Training;

/// <summary>
/// Checkpoint folders of a run: <c>&lt;run&gt;/models/weights_&lt;name&gt;/</c> holding the reference's four .pth files,
/// <c>adam.pth</c> (optimiser state, PyTorch format) and <c>trainer_state.json</c>; <c>&lt;run&gt;/models/opt.json</c>
/// holds the options. A checkpoint folder is written under a temporary name and renamed into place, so a killed
/// process leaves either the previous checkpoint or the new one, never a mix.
/// </summary>
public static class Checkpoints
{
    /// <summary>Optimiser file name inside a checkpoint folder (as the reference).</summary>
    public const string OptimizerFile = "adam.pth";

    /// <summary>The models folder of a run.</summary>
    public static string ModelsFolder(string runFolder) => Path.Combine(runFolder, "models");

    /// <summary>Writes a complete checkpoint atomically and returns its folder.</summary>
    public static string Save(string runFolder, string name, MonodepthNetworks networks, ModelInfo info, TorchSharp.Modules.OptimizerHelper optimizer, TrainerState state)
    {
        var models = ModelsFolder(runFolder);
        Directory.CreateDirectory(models);
        var final = Path.Combine(models, "weights_" + name);
        var temp = Path.Combine(models, $".weights_{name}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            ModelFolder.Save(temp, networks, info);
            OptimizerStateFile.Write(Path.Combine(temp, OptimizerFile), optimizer);
            AtomicFile.WriteAllText(Path.Combine(temp, TrainerState.FileName), state.ToJson());
            string? old = null;
            if (Directory.Exists(final))
            {
                old = final + $".{Guid.NewGuid():N}.old";
                Directory.Move(final, old);
            }

            Directory.Move(temp, final);
            if (old is not null)
            {
                Directory.Delete(old, recursive: true);
            }

            return final;
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    /// <summary>
    /// Finds the checkpoint to resume from: <paramref name="path"/> itself when it holds a training state, else the
    /// newest complete <c>weights_*</c> folder of the run folder <paramref name="path"/>.
    /// </summary>
    public static string Resolve(string path)
    {
        if (File.Exists(Path.Combine(path, TrainerState.FileName)))
        {
            return path;
        }

        var models = ModelsFolder(path);
        if (Directory.Exists(models))
        {
            var newest = Directory.GetDirectories(models, "weights_*")
                .Where(d => File.Exists(Path.Combine(d, TrainerState.FileName)))
                .Select(d => (Folder: d, State: TrainerState.Read(Path.Combine(d, TrainerState.FileName))))
                .OrderByDescending(x => x.State.Step)
                .FirstOrDefault();
            if (newest.Folder is not null)
            {
                return newest.Folder;
            }
        }

        throw new DirectoryNotFoundException($"{path}: no checkpoint to resume from (expected a weights_* folder with {TrainerState.FileName}).");
    }

    /// <summary>Loads weights, optimiser state and training state from a checkpoint folder.</summary>
    public static TrainerState Load(string checkpoint, MonodepthNetworks networks, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        ModelFolder.Load(checkpoint, networks);
        var adam = Path.Combine(checkpoint, OptimizerFile);
        if (!File.Exists(adam))
        {
            throw new FileNotFoundException($"{adam}: optimiser state not found.", adam);
        }

        optimizer.load_py(adam);
        return TrainerState.Read(Path.Combine(checkpoint, TrainerState.FileName));
    }
}
