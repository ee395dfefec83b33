using Monodepth2.Data;
using Monodepth2.Imaging;

namespace Monodepth2.Tests.Data;

public sealed class AugmentationTests : DataFixture
{
    [Fact]
    public void BrightnessOfGrayIsScaled()
    {
        var gray = new RgbImage(3, 2, Enumerable.Repeat(0.5f, 18).ToArray());
        var result = ColorJitter.Apply(gray, ColorJitterParameters.BrightnessOnly(1.1));
        Assert.All(result.Data, v => Assert.Equal(0.55f, v, 6));
        Assert.All(gray.Data, v => Assert.Equal(0.5f, v));
        var bright = new RgbImage(1, 1, [0.95f, 0.95f, 0.95f]);
        Assert.All(ColorJitter.Apply(bright, ColorJitterParameters.BrightnessOnly(1.2)).Data, v => Assert.Equal(1f, v));
    }

    [Theory]
    [InlineData(0.1, 1f, 0.6f, 0f)]
    [InlineData(-0.1, 1f, 0f, 0.6f)]
    [InlineData(1.0 / 3.0, 0f, 1f, 0f)]
    public void HueShiftOfPureRed(double shift, float r, float g, float b)
    {
        var red = new RgbImage(1, 1, [1f, 0f, 0f]);
        var result = ColorJitter.Apply(red, ColorJitterParameters.HueOnly(shift));
        Assert.Equal(r, result.Data[0], 5);
        Assert.Equal(g, result.Data[1], 5);
        Assert.Equal(b, result.Data[2], 5);
    }

    [Fact]
    public void SaturationAndContrastBlendWithGrayscale()
    {
        var red = new RgbImage(1, 1, [1f, 0f, 0f]);
        var desat = ColorJitter.Apply(red, new ColorJitterParameters(1, 1, 0, 0, ColorJitterParameters.DefaultOrder));
        Assert.All(desat.Data, v => Assert.Equal(0.2989f, v, 6));

        // Two gray pixels 0.2 and 0.6: grayscale mean = 0.4 * 0.9999; contrast 1.2 -> 1.2 v - 0.2 mean.
        var img = new RgbImage(2, 1, [0.2f, 0.6f, 0.2f, 0.6f, 0.2f, 0.6f]);
        var c = ColorJitter.Apply(img, new ColorJitterParameters(1, 1.2, 1, 0, ColorJitterParameters.DefaultOrder));
        var mean = 0.4f * 0.9999f;
        Assert.Equal((1.2f * 0.2f) - (0.2f * mean), c.Data[0], 5);
        Assert.Equal((1.2f * 0.6f) - (0.2f * mean), c.Data[1], 5);
    }

    [Fact]
    public void DrawIsWithinReferenceRangesAndOrderIsAPermutation()
    {
        var rng = new Random(5);
        var orders = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            var p = ColorJitter.Draw(rng);
            Assert.InRange(p.Brightness, 0.8, 1.2);
            Assert.InRange(p.Contrast, 0.8, 1.2);
            Assert.InRange(p.Saturation, 0.8, 1.2);
            Assert.InRange(p.Hue, -0.1, 0.1);
            Assert.Equal(4, p.Order.Distinct().Count());
            orders.Add(string.Join(",", p.Order));
        }

        Assert.True(orders.Count > 10, $"only {orders.Count} orders");
    }

    [Fact]
    public void FlipMirrorsAllFramesAndTheStereoSignButNotK()
    {
        WriteKittiRaw(count: 3);
        var options = Options(0, -1, 1, FrameId.Stereo);
        var entries = new[] { new SplitEntry(Drive, 1, CameraSide.Left) };
        var plain = new KittiRawDataset(Root, entries, options).GetSample(0, new Random(0));
        var augmenting = new KittiRawDataset(Root, entries, options with { Augment = true });
        var samples = Enumerable.Range(0, 40).Select(seed => augmenting.GetSample(0, new Random(seed))).ToList();
        var flipped = samples.First(s => s.Flipped);
        Assert.Contains(samples, s => !s.Flipped);
        Assert.Contains(samples, s => s.Jitter is not null);
        Assert.Contains(samples, s => s.Jitter is null);
        Assert.Equal(-plain.StereoSign, flipped.StereoSign);
        Assert.Equal(plain.Intrinsics, flipped.Intrinsics);
        foreach (var id in options.FrameIds)
        {
            for (var sc = 0; sc < 4; sc++)
            {
                // Level 0 exactly; smaller levels are resized from the flipped level 0 (up to 8-bit rounding).
                var expected = ImageOps.FlipHorizontal(plain.Pyramids[id][sc]).Data;
                var actual = flipped.Pyramids[id][sc].Data;
                Assert.Equal(expected.Length, actual.Length);
                Assert.All(expected.Zip(actual), p => Assert.True(Math.Abs(p.First - p.Second) <= (sc == 0 ? 0 : 1.01f / 255), $"scale {sc}: {p.First} vs {p.Second}"));
            }

            // Blue ramp: the flipped left edge is bright.
            Assert.True(flipped.Pyramids[id][0].Data[flipped.Pyramids[id][0].IndexOf(2, 0, 0)] > 0.9f);
        }

        var jittered = samples.First(s => s.Jitter is not null);
        Assert.Equal(ColorJitter.Apply(jittered.Pyramids[-1][0], jittered.Jitter!).Data, jittered.Augmented[-1].Data);
        Assert.NotEqual(jittered.Pyramids[-1][0].Data, jittered.Augmented[-1].Data);
    }

    [Fact]
    public void SameSeedGivesIdenticalSamples()
    {
        WriteKittiRaw(count: 3);
        var ds = new KittiRawDataset(Root, [new SplitEntry(Drive, 1, CameraSide.Left)], Options() with { Augment = true });
        for (var seed = 0; seed < 6; seed++)
        {
            var a = ds.GetSample(0, new Random(seed));
            var b = ds.GetSample(0, new Random(seed));
            Assert.Equal((a.Flipped, a.Jitter?.Brightness, a.Jitter?.Hue), (b.Flipped, b.Jitter?.Brightness, b.Jitter?.Hue));
            foreach (var id in ds.Options.FrameIds)
            {
                Assert.Equal(a.Augmented[id].Data, b.Augmented[id].Data);
                Assert.Equal(a.Pyramids[id][3].Data, b.Pyramids[id][3].Data);
            }
        }
    }
}
