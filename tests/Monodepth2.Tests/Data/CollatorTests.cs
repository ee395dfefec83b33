using Monodepth2.Data;
using Monodepth2.Geometry;

namespace Monodepth2.Tests.Data;

public sealed class CollatorTests : TorchTestBase, IDisposable
{
    private readonly Fixture data = new();

    public void Dispose() => data.Dispose();

    [Fact]
    public void ShapesIntrinsicsAndStereoTransform()
    {
        var ds = data.Raw(DataFixture.Options(0, -1, 1, FrameId.Stereo));
        var samples = new[] { ds.GetSample(0, new Random(0)), ds.GetSample(1, new Random(0)) };
        using var batch = BatchCollator.Collate(samples);
        Assert.Equal(2, batch.Size);
        foreach (var id in ds.Options.FrameIds)
        {
            Assert.Equal(new long[] { 2, 3, 32, 64 }, batch.Augmented[id].shape);
            for (var s = 0; s < 4; s++)
            {
                Assert.Equal(new long[] { 2, 3, 32 >> s, 64 >> s }, batch.Pyramids[id][s].shape);
            }
        }

        Assert.Equal(samples[1].Pyramids[1][2].Data, Values(batch.Pyramids[1][2][1]));
        Assert.Equal(4, batch.K.Count);
        var k0 = Values(batch.K[0]);
        var k1 = Values(batch.K[1]);
        Assert.Equal(new long[] { 2, 4, 4 }, batch.K[1].shape);
        for (var i = 0; i < 32; i++)
        {
            var row = i % 16 / 4;
            AssertClose(row < 2 ? k0[i] / 2 : k0[i], k1[i], 1e-6, $"K[1] element {i}");
        }

        AssertClose(Intrinsics.Kitti.Fx * 64, k0[0], 1e-4, "fx");
        using var eye = batch.K[2].matmul(batch.InverseK[2]);
        Assert.All(Values(eye).Select((v, i) => Math.Abs(v - (i % 16 % 5 == 0 ? 1 : 0))), d => Assert.True(d < 1e-5));
        var t = Values(batch.StereoTransform!);
        Assert.Equal(-0.1f, t[3], 6);
        Assert.Equal(0.1f, t[16 + 3], 6);
        Assert.Equal(1f, t[16 + 5]);
    }

    [Fact]
    public void LoaderShufflesDeterministicallyAndDropsLast()
    {
        var ds = data.Raw(DataFixture.Options(0, -1, 1) with { Augment = true }, count: 9);
        var loader = new BatchLoader(ds, batchSize: 2, seed: 3, maxParallelism: 2);
        Assert.Equal(3, loader.BatchesPerEpoch);
        var a = loader.Epoch(0).Select(b => { using (b) { return (b.Indices.ToArray(), Values(b.Augmented[0])); } }).ToList();
        var b = loader.Epoch(0).Select(b => { using (b) { return (b.Indices.ToArray(), Values(b.Augmented[0])); } }).ToList();
        Assert.Equal(3, a.Count);
        Assert.Equal(a.Select(x => x.Item1), b.Select(x => x.Item1));
        Assert.Equal(a.Select(x => x.Item2), b.Select(x => x.Item2));
        Assert.Equal(6, a.SelectMany(x => x.Item1).Distinct().Count());
        Assert.NotEqual(loader.Order(0), loader.Order(1));
        Assert.Equal(loader.Order(0).Take(6), a.SelectMany(x => x.Item1));

        var all = new BatchLoader(ds, batchSize: 4, shuffle: false, dropLast: false).Epoch(0).Select(b => { using (b) { return b.Indices.ToArray(); } }).ToList();
        Assert.Equal(Enumerable.Range(0, 7), all.SelectMany(x => x));
        Assert.Equal(3, all[^1].Length);
    }

    [Fact]
    public void LoaderRefillsBatchesWhenSkipping()
    {
        var ds = data.Raw(DataFixture.Options(0, -1, 1) with { SkipBadSamples = true }, count: 8);
        var strictDs = data.Raw(DataFixture.Options(0, -1, 1), count: 8);
        File.WriteAllText(KittiRawDataset.ImagePath(data.RootPath, DataFixture.Drive, 3, CameraSide.Left, ".png"), "broken");
        var loader = new BatchLoader(ds, batchSize: 2, shuffle: false, maxParallelism: 2);
        var batches = loader.Epoch(0).Select(b => { using (b) { return b.Indices.ToArray(); } }).ToList();

        // Frame 3 is used by targets 2, 3, 4 (indices 1, 2, 3; 1 and 3 are right-camera and do not read it).
        Assert.Equal([[0, 1], [3, 4]], batches);
        Assert.Equal([2], ds.Skipped.Select(s => s.Index));
        var strict = new BatchLoader(strictDs, batchSize: 2, shuffle: false);
        Assert.Contains("0000000003.png", Assert.Throws<BadSampleException>(() => strict.Epoch(0).Select(b => { b.Dispose(); return 0; }).ToList()).Message);
    }

    [Fact]
    public void MismatchedSamplesAreRejectedBeforeTorch()
    {
        var a = data.Raw(DataFixture.Options(0, -1, 1)).GetSample(0, new Random(0));
        var b = data.Raw(DataFixture.Options(0, -1, 1) with { Width = 32, Height = 16 }).GetSample(0, new Random(0));
        Assert.Throws<ArgumentException>(() => BatchCollator.Collate([a, b]));
    }

    private sealed class Fixture : DataFixture
    {
        public string RootPath => Root;

        public KittiRawDataset Raw(DatasetOptions options, int count = 4)
        {
            WriteKittiRaw(count);
            var entries = Enumerable.Range(1, count - 2).Select(f => new SplitEntry(Drive, f, f % 2 == 0 ? CameraSide.Right : CameraSide.Left)).ToList();
            return new KittiRawDataset(Root, entries, options);
        }
    }
}
