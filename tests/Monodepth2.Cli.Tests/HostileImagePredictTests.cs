using Monodepth2.Networks;
using Monodepth2.Testing;
using Monodepth2.Weights;
using Xunit.Abstractions;

namespace Monodepth2.Cli.Tests;

/// <summary>
/// <c>monodepth2 predict</c> over a folder of mutated JPEG/PNG files (<see cref="HostileImageCorpus"/>): no crash, no
/// hang, every file either written (its <c>_disp.npy</c>) or reported on stderr by name, exit code 2. CI runs
/// <see cref="HostileImageCorpus.ReducedCount"/> files; <c>MD2_HOSTILE_FULL=1</c> runs <see cref="HostileImageCorpus.FullCount"/>.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class HostileImagePredictTests(ITestOutputHelper output) : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("md2-hostile-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task PredictScoresOrNamesEveryMutatedImage()
    {
        TorchRuntime.EnsureLoaded();
        var model = Path.Combine(dir, "model");
        using (var networks = new MonodepthNetworks(new NetworkOptions(18), withPose: false))
        {
            ModelFolder.Save(model, networks, new ModelInfo { Width = 64, Height = 64, UseStereo = false });
        }

        var corpus = Path.Combine(dir, "corpus");
        var files = HostileImageCorpus.Write(corpus, HostileImageCorpus.Count);
        var predicted = Path.Combine(dir, "predicted");
        // A loose bound (30 s a file) against a hang; the run itself takes well under a second a file.
        var result = await Task.Run(() => CliRunner.Run("predict", "--model", model, corpus, "--out", predicted)).WaitAsync(TimeSpan.FromSeconds(30 * files.Count));
        var errors = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        var outcomes = new List<(string Path, bool Scored)>();
        foreach (var file in files)
        {
            var scored = File.Exists(Path.Combine(predicted, Path.GetFileNameWithoutExtension(file) + "_disp.npy"));
            var reported = errors.Count(e => e.Contains(file, StringComparison.Ordinal));
            Assert.True(scored ^ (reported == 1), $"{file}: scored {scored}, reported {reported} times (exit code {result.ExitCode}; stderr {result.Error[..Math.Min(3000, result.Error.Length)]})");
            outcomes.Add((file, scored));
        }

        Assert.Equal(files.Count - outcomes.Count(o => o.Scored), errors.Count);
        Assert.Equal(outcomes.All(o => o.Scored) ? 0 : 2, result.ExitCode);
        Assert.Contains($"Predicted {outcomes.Count(o => o.Scored)} of {files.Count} image(s)", result.Output, StringComparison.Ordinal);
        output.WriteLine(HostileImageCorpus.Summary(outcomes));
    }
}
