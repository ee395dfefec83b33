using Monodepth2.Data;
using Monodepth2.Geometry;
using Monodepth2.Imaging;

namespace Monodepth2.Tests.Data;

public sealed class LayoutTests : DataFixture
{
    [Fact]
    public void KittiRawLoadsNeighboursAndStereoPartner()
    {
        WriteKittiRaw();
        var entries = new[] { new SplitEntry(Drive, 2, CameraSide.Left), new SplitEntry(Drive, 3, CameraSide.Right) };
        var ds = new KittiRawDataset(Root, entries, Options(0, -1, 1, FrameId.Stereo));
        Assert.Equal(2, ds.Count);

        var left = ds.GetSample(0, new Random(1));
        Assert.EndsWith(Path.Combine("image_02", "data", "0000000001.png"), left.Files[-1]);
        Assert.Equal((1, CameraSide.Left), Identify(left.Pyramids[-1][0]));
        Assert.Equal((2, CameraSide.Left), Identify(left.Pyramids[0][0]));
        Assert.Equal((3, CameraSide.Left), Identify(left.Pyramids[1][0]));
        Assert.Equal((2, CameraSide.Right), Identify(left.Pyramids[FrameId.Stereo][0]));
        Assert.EndsWith(Path.Combine("image_03", "data", "0000000002.png"), left.Files[FrameId.Stereo]);
        Assert.Equal(-1, left.StereoSign);
        Assert.Equal(Intrinsics.Kitti, left.Intrinsics);

        var right = ds.GetSample(1, new Random(1));
        Assert.Equal((4, CameraSide.Right), Identify(right.Pyramids[1][0]));
        Assert.Equal((3, CameraSide.Left), Identify(right.Pyramids[FrameId.Stereo][0]));
        Assert.Equal(1, right.StereoSign);
    }

    [Fact]
    public void KittiRawResizesAndBuildsPyramid()
    {
        WriteKittiRaw(count: 3, ext: ".jpg");
        var options = Options() with { Width = 32, Height = 16, ImageExtension = ".jpg" };
        var s = new KittiRawDataset(Root, [new SplitEntry(Drive, 1, CameraSide.Left)], options).GetSample(0, new Random(0));
        foreach (var id in options.FrameIds)
        {
            Assert.Equal(4, s.Pyramids[id].Count);
            for (var sc = 0; sc < 4; sc++)
            {
                Assert.Equal((32 >> sc, 16 >> sc), (s.Pyramids[id][sc].Width, s.Pyramids[id][sc].Height));
            }

            Assert.Same(s.Pyramids[id][0], s.Augmented[id]);
        }

        Assert.Equal(s.Pyramids[1][2].Data, ImageFiles.Resize(ImageFiles.Resize(s.Pyramids[1][0], 16, 8), 8, 4).Data);
        Assert.Equal((2, CameraSide.Left), Identify(s.Pyramids[1][3]));
    }

    [Fact]
    public void KittiRawGroundTruthIsLoadedAndFlipped()
    {
        WriteKittiRaw(count: 3);
        var depth = Enumerable.Range(0, 8).Select(i => (float)i + 1).ToArray();
        ImageFiles.WriteDepthPng(depth, 4, 2, KittiRawDataset.GroundTruthPath(Root, Drive, 1, CameraSide.Left));
        var plain = new KittiRawDataset(Root, [new SplitEntry(Drive, 1, CameraSide.Left)], Options(), loadGroundTruth: true);
        Assert.Equal(depth, plain.GetSample(0, new Random(0)).GroundTruth!.Depth);
        var ds = new KittiRawDataset(Root, [new SplitEntry(Drive, 1, CameraSide.Left)], Options() with { Augment = true }, loadGroundTruth: true);
        var flipped = Enumerable.Range(0, 100).Select(seed => ds.GetSample(0, new Random(seed))).First(x => x.Flipped);
        Assert.Equal(new float[] { 4, 3, 2, 1, 8, 7, 6, 5 }, flipped.GroundTruth!.Depth);
    }

    [Fact]
    public void KittiRawNeedsASide()
    {
        var path = Path.Combine(Root, "split.txt");
        File.WriteAllLines(path, [$"{Drive} 1 l", $"{Drive} 2"]);
        var ex = Assert.Throws<InvalidDataException>(() => new KittiRawDataset(Root, SplitFile.Read(path), Options()));
        Assert.Contains($"{path}:2", ex.Message);
    }

    [Fact]
    public void KittiOdometryLoadsSixDigitFrames()
    {
        for (var f = 0; f < 4; f++)
        {
            ImageFiles.WriteRgbPng(Frame(f, CameraSide.Left), KittiOdometryDataset.ImagePath(Root, 9, f, CameraSide.Left, ".png"));
            ImageFiles.WriteRgbPng(Frame(f, CameraSide.Right), KittiOdometryDataset.ImagePath(Root, 9, f, CameraSide.Right, ".png"));
        }

        var entries = SplitFile.Parse(["9 1 l", "09 2"], "odom.txt");
        var ds = new KittiOdometryDataset(Root, entries, Options(0, -1, 1, FrameId.Stereo));
        var s = ds.GetSample(1, new Random(0));
        Assert.EndsWith(Path.Combine("sequences", "09", "image_2", "000001.png"), s.Files[-1]);
        Assert.EndsWith(Path.Combine("sequences", "09", "image_3", "000002.png"), s.Files[FrameId.Stereo]);
        Assert.Equal((3, CameraSide.Left), Identify(s.Pyramids[1][0]));
        Assert.Equal((2, CameraSide.Right), Identify(s.Pyramids[FrameId.Stereo][0]));
        Assert.Contains("odom.txt:1", Assert.Throws<InvalidDataException>(() => new KittiOdometryDataset(Root, SplitFile.Parse(["x 1 l"], "odom.txt"), Options())).Message);
    }

    [Fact]
    public void FolderVideoUsesEveryFrameWithNeighbours()
    {
        var seq = Path.Combine(Root, "walk");
        for (var f = 0; f < 5; f++)
        {
            ImageFiles.WriteRgbJpeg(Frame(f, CameraSide.Left), Path.Combine(seq, $"img_{f:D3}.jpg"), 100);
        }

        File.WriteAllText(Path.Combine(Root, "intrinsics.txt"), "normalized 0.5 2 0.5 0.5\n");
        File.WriteAllText(Path.Combine(seq, "notes.txt"), "ignored");
        var ds = new FolderVideoDataset(Root, Options());
        Assert.Equal(3, ds.Count);
        var s = ds.GetSample(0, new Random(0));
        Assert.EndsWith("img_000.jpg", s.Files[-1]);
        Assert.EndsWith("img_001.jpg", s.Files[0]);
        Assert.EndsWith("img_002.jpg", s.Files[1]);
        Assert.Equal(1, Identify(s.Pyramids[0][0]).Frame);
        Assert.Equal(new Intrinsics(0.5, 2, 0.5, 0.5), s.Intrinsics);

        var split = new FolderVideoDataset(Root, Options(0, 1), SplitFile.Parse(["walk 3"], "mine.txt"));
        Assert.Equal(4, Identify(split.GetSample(0, new Random(0)).Pyramids[1][0]).Frame);
        Assert.Throws<ArgumentException>(() => new FolderVideoDataset(Root, Options(0, FrameId.Stereo)));
        Assert.Contains("mine.txt:1", Assert.Throws<InvalidDataException>(() => new FolderVideoDataset(Root, Options(), SplitFile.Parse(["run 3"], "mine.txt"))).Message);
    }
}
