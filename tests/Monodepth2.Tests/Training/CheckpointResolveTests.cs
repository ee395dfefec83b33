using Monodepth2.Training;

namespace Monodepth2.Tests.Training;

/// <summary>Which folder <c>--resume &lt;run&gt;</c> continues from, given what killed saves can leave behind.</summary>
public sealed class CheckpointResolveTests : IDisposable
{
    private readonly string run = Directory.CreateTempSubdirectory("md2-resolve-").FullName;

    public void Dispose() => Directory.Delete(run, recursive: true);

    private string Folder(string name, long? step)
    {
        var folder = Path.Combine(run, "models", name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "encoder.pth"), "weights");
        if (step is { } s)
        {
            File.WriteAllText(Path.Combine(folder, TrainerState.FileName), new TrainerState(0, 0, s, 1).ToJson());
        }

        return folder;
    }

    [Fact]
    public void TheCompleteCheckpointWithTheMostStepsWinsAndTemporaryFoldersNeverDo()
    {
        Folder("weights_0", 2);
        var last = Folder("weights_last", 4);
        Folder(".weights_1.0123.tmp", 9);                       // a save killed before its rename: never loaded
        Folder("weights_2", null);                                // no training state: not a checkpoint
        Assert.Equal(last, Checkpoints.Resolve(run));

        // Killed between the two renames of a replacement: weights_last is gone, the retired folder is still complete.
        Directory.Delete(last, recursive: true);
        var retired = Folder(".weights_last.4567.old", 4);
        Folder(".weights_last.89ab.old", null);                   // a retired folder partly deleted (its state goes first)
        Assert.Equal(retired, Checkpoints.Resolve(run));

        // Once a published folder has the same step, it is preferred to the retired one.
        var published = Folder("weights_1", 4);
        Assert.Equal(published, Checkpoints.Resolve(run));
    }

    [Fact]
    public void ARunWithOnlyTemporaryFoldersHasNothingToResume()
    {
        Folder(".weights_last.0123.tmp", 5);
        Assert.Throws<DirectoryNotFoundException>(() => Checkpoints.Resolve(run));
    }
}
