using Monodepth2.Networks;
using Monodepth2.Weights;
using TorchSharp.PyBridge;

namespace Monodepth2.Training;

/// <summary>
/// Checkpoint folders of a run: <c>&lt;run&gt;/models/weights_&lt;name&gt;/</c> holding the reference's four .pth files,
/// <c>adam.pth</c> (optimiser state, PyTorch format) and <c>trainer_state.json</c>; <c>&lt;run&gt;/models/opt.json</c>
/// holds the options. Every checkpoint is also copied to <c>weights_last</c>, so that folder always holds the newest
/// checkpoint. A checkpoint folder is written under a temporary hidden name (<c>.weights_*.tmp</c>, never loaded) and
/// renamed into place, so a killed process leaves either the previous checkpoint or the new one, never a mix.
/// </summary>
public static class Checkpoints
{
    /// <summary>Optimiser file name inside a checkpoint folder (as the reference).</summary>
    public const string OptimizerFile = "adam.pth";

    /// <summary>The name of the checkpoint that every save refreshes: <c>weights_last</c>.</summary>
    public const string LastName = "last";

    private const string Prefix = "weights_";
    private const string RetiredSuffix = ".old";

    /// <summary>The models folder of a run.</summary>
    public static string ModelsFolder(string runFolder) => Path.Combine(runFolder, "models");

    /// <summary>
    /// Writes a complete checkpoint atomically as <c>weights_&lt;name&gt;</c>, refreshes <c>weights_last</c> with the
    /// same contents (when <paramref name="name"/> is not already <see cref="LastName"/>) and returns the first folder.
    /// </summary>
    public static string Save(string runFolder, string name, MonodepthNetworks networks, ModelInfo info, TorchSharp.Modules.OptimizerHelper optimizer, TrainerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var models = ModelsFolder(runFolder);
        Directory.CreateDirectory(models);
        var temp = TempFolder(models, name);
        string? lastCopy = null;
        try
        {
            ModelFolder.Save(temp, networks, info);
            OptimizerStateFile.Write(Path.Combine(temp, OptimizerFile), optimizer);

            // Written last: a folder with a training state is complete.
            AtomicFile.WriteAllText(Path.Combine(temp, TrainerState.FileName), state.ToJson());
            if (name != LastName)
            {
                lastCopy = TempFolder(models, LastName);
                CopyCheckpoint(temp, lastCopy);
            }

            var final = Publish(temp, models, name);
            if (lastCopy is not null)
            {
                Publish(lastCopy, models, LastName);
            }

            RemoveLeftovers(models);
            return final;
        }
        finally
        {
            foreach (var folder in new[] { temp, lastCopy })
            {
                if (folder is not null && Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }
    }

    /// <summary>
    /// Finds the checkpoint to resume from: <paramref name="path"/> itself when it holds a training state, else the
    /// complete checkpoint of the run folder <paramref name="path"/> with the most steps. Temporary folders of an
    /// interrupted save are never chosen.
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
            var newest = Complete(models)
                .Select(d => (Folder: d, State: TrainerState.Read(Path.Combine(d, TrainerState.FileName))))
                .OrderByDescending(x => x.State.Step)
                .ThenBy(x => IsRetired(x.Folder) ? 1 : 0)
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

    /// <summary>
    /// The complete checkpoints of a models folder: published <c>weights_*</c> folders and, should a process have been
    /// killed between the two renames of a replacement, the retired previous folder (which is complete until its
    /// training state, deleted first, is gone).
    /// </summary>
    private static IEnumerable<string> Complete(string models) =>
        Directory.GetDirectories(models)
            .Where(d => Path.GetFileName(d).StartsWith(Prefix, StringComparison.Ordinal) || IsRetired(d))
            .Where(d => File.Exists(Path.Combine(d, TrainerState.FileName)));

    private static bool IsRetired(string folder)
    {
        var name = Path.GetFileName(folder);
        return name.StartsWith("." + Prefix, StringComparison.Ordinal) && name.EndsWith(RetiredSuffix, StringComparison.Ordinal);
    }

    private static string TempFolder(string models, string name)
    {
        var temp = Path.Combine(models, $".{Prefix}{name}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        return temp;
    }

    /// <summary>Renames a complete temporary folder to <c>weights_&lt;name&gt;</c>, replacing (and then deleting) an existing one.</summary>
    private static string Publish(string temp, string models, string name)
    {
        var final = Path.Combine(models, Prefix + name);
        string? old = null;
        if (Directory.Exists(final))
        {
            old = Path.Combine(models, $".{Prefix}{name}.{Guid.NewGuid():N}{RetiredSuffix}");
            Directory.Move(final, old);
        }

        Directory.Move(temp, final);
        if (old is not null)
        {
            Retire(old);
        }

        return final;
    }

    /// <summary>Deletes a checkpoint folder, its training state first, so a partly deleted folder is never taken for a complete one.</summary>
    private static void Retire(string folder)
    {
        var state = Path.Combine(folder, TrainerState.FileName);
        if (File.Exists(state))
        {
            File.Delete(state);
        }

        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Copies a complete checkpoint folder, the training state last (durably, like <see cref="AtomicFile"/>).</summary>
    private static void CopyCheckpoint(string from, string to)
    {
        var files = Directory.GetFiles(from).OrderBy(f => Path.GetFileName(f) == TrainerState.FileName ? 1 : 0);
        foreach (var file in files)
        {
            using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var target = new FileStream(Path.Combine(to, Path.GetFileName(file)), FileMode.CreateNew, FileAccess.Write, FileShare.None);
            source.CopyTo(target);
            target.Flush(flushToDisk: true);
        }
    }

    /// <summary>Deletes what killed saves left behind (hidden temporary and retired folders) once a newer checkpoint is in place.</summary>
    private static void RemoveLeftovers(string models)
    {
        foreach (var folder in Directory.GetDirectories(models, "." + Prefix + "*"))
        {
            try
            {
                Retire(folder);
            }
            catch (IOException)
            {
                // Best effort: a leftover is never loaded, the next save tries again.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
