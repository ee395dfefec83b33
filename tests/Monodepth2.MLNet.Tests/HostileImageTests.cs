using Xunit.Abstractions;

namespace Monodepth2.MLNet.Tests;

/// <summary>
/// Mutated JPEG/PNG files (<see cref="HostileImageCorpus"/>) through <c>DepthTransformer.PredictFiles(paths, skipBadImages: true)</c>:
/// no crash, no hang, every file either scored or reported with an error naming it. CI runs
/// <see cref="HostileImageCorpus.ReducedCount"/> files; <c>MD2_HOSTILE_FULL=1</c> runs <see cref="HostileImageCorpus.FullCount"/>.
/// </summary>
public sealed class HostileImageTests(TrainedDepthModel fixture, ITestOutputHelper output) : TorchTestBase, IClassFixture<TrainedDepthModel>
{
    /// <summary>A generous bound per file: a decoder that loops or allocates without end fails here, a slow machine does not.</summary>
    private static readonly TimeSpan PerFile = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task PredictFilesScoresOrNamesEveryMutatedImage()
    {
        var files = HostileImageCorpus.Write(Path.Combine(fixture.Root, "hostile-" + Guid.NewGuid().ToString("N")[..6]), HostileImageCorpus.Count);
        var outcomes = new List<(string Path, bool Scored)>();
        using var results = fixture.Depth.PredictFiles(files, skipBadImages: true).GetEnumerator();
        foreach (var file in files)
        {
            // Each file under a watchdog: MoveNext reads, decodes and scores exactly one file.
            var next = await Task.Run(results.MoveNext).WaitAsync(PerFile);
            Assert.True(next, $"{file}: no result");
            var result = results.Current;
            Assert.Equal(file, result.Path);
            if (result.Succeeded)
            {
                Assert.Equal(TrainedDepthModel.Width * TrainedDepthModel.Height, result.Depth.Length);
                Assert.All(result.Depth, d => Assert.True(float.IsFinite(d) && d > 0, $"{file}: depth {d}"));
            }
            else
            {
                Assert.Contains(file, result.Error, StringComparison.Ordinal);
            }

            outcomes.Add((file, result.Succeeded));
        }

        Assert.False(results.MoveNext());
        output.WriteLine(HostileImageCorpus.Summary(outcomes));
    }
}
