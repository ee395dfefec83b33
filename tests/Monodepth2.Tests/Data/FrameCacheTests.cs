using Monodepth2.Data;

namespace Monodepth2.Tests.Data;

/// <summary>The frame cache changes how often a frame is decoded and resized, never what a sample holds.</summary>
public sealed class FrameCacheTests : DataFixture
{
    [Fact]
    public void SamplesAreTheSameWithAndWithoutTheCache()
    {
        WriteKittiRaw(6);
        var entries = Enumerable.Range(1, 4).SelectMany(f => new[] { new SplitEntry(Drive, f, CameraSide.Left), new SplitEntry(Drive, f, CameraSide.Right) }).ToList();
        // The frames are resized (64x32 on disk -> 32x16) so that the cache holds real work, and augmented (flip, jitter).
        var options = Options(0, -1, 1, FrameId.Stereo) with { Width = 32, Height = 16, Augment = true, Scales = 3 };
        var plain = new KittiRawDataset(Root, entries, options);
        var cached = new KittiRawDataset(Root, entries, options with { FrameCacheMegabytes = 16 });
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                var seed = (pass * 100) + i;
                var a = plain.GetSample(i, new Random(seed));
                var b = cached.GetSample(i, new Random(seed));
                Assert.Equal(a.Flipped, b.Flipped);
                foreach (var id in a.FrameIds)
                {
                    Assert.Equal(a.Augmented[id].Data, b.Augmented[id].Data);
                    for (var s = 0; s < 3; s++)
                    {
                        Assert.Equal(a.Pyramids[id][s].Data, b.Pyramids[id][s].Data);
                    }
                }
            }

            if (pass == 0)
            {
                Assert.True(cached.CachedBytes > 0, "nothing was cached");
            }
        }

        // Frames 0..5 of two cameras, each mirrored or not at most: the cache never holds more than that.
        var perPyramid = (32 * 16 * 3 + 16 * 8 * 3 + 8 * 4 * 3) * sizeof(float);
        Assert.InRange(cached.CachedBytes, perPyramid, 6 * 2 * 2 * perPyramid);
        Assert.Equal(0, plain.CachedBytes);
    }

    [Fact]
    public void AFullCacheStopsGrowing()
    {
        WriteKittiRaw(6);
        var entries = Enumerable.Range(1, 4).Select(f => new SplitEntry(Drive, f, CameraSide.Left)).ToList();
        // 1 MB holds about 20 pyramids of 1024x512 frames' 64x32 levels... here every pyramid of a 1024-wide frame
        // (1024x512x3 floats = 6 MB) exceeds the budget, so nothing may be kept.
        var options = Options(0, -1, 1) with { Width = 1024, Height = 512, Augment = false, Scales = 1, FrameCacheMegabytes = 1 };
        var dataset = new KittiRawDataset(Root, entries, options);
        dataset.GetSample(0, new Random(1));
        Assert.Equal(0, dataset.CachedBytes);
    }
}
