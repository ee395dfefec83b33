using Monodepth2.Data;
using Monodepth2.Imaging;

namespace Monodepth2.Tests.Data;

public sealed class BadInputTests : DataFixture
{
    [Fact]
    public void MissingNeighbourNamesTheFile()
    {
        WriteKittiRaw(count: 3);
        var ds = new KittiRawDataset(Root, [new SplitEntry(Drive, 2, CameraSide.Left), new SplitEntry(Drive, 0, CameraSide.Left)], Options());
        var ex = Assert.Throws<BadSampleException>(() => ds.GetSample(0, new Random(0)));
        Assert.Contains(KittiRawDataset.ImagePath(Root, Drive, 3, CameraSide.Left, ".png"), ex.Message);
        Assert.IsType<FileNotFoundException>(ex.InnerException);
        var before = Assert.Throws<BadSampleException>(() => ds.GetSample(1, new Random(0)));
        Assert.Contains(Path.Combine(Root, Drive, "image_02", "data"), before.Message);
        Assert.Contains("index -1", before.Message);
    }

    [Fact]
    public void TruncatedImageNamesTheFile()
    {
        WriteKittiRaw(count: 3);
        var bad = KittiRawDataset.ImagePath(Root, Drive, 0, CameraSide.Left, ".png");
        var bytes = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, bytes[..(bytes.Length / 2)]);
        var ds = new KittiRawDataset(Root, [new SplitEntry(Drive, 1, CameraSide.Left)], Options());
        var ex = Assert.Throws<BadSampleException>(() => ds.GetSample(0, new Random(0)));
        Assert.Contains(bad, ex.Message);
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void JpegFrameCutInHalfNamesTheFile()
    {
        // A cut JPEG of a detailed frame decodes "successfully" as a half-grey frame unless the reader checks for the
        // end-of-image marker.
        WriteKittiRaw(count: 3, ext: ".jpg");
        var bad = KittiRawDataset.ImagePath(Root, Drive, 2, CameraSide.Left, ".jpg");
        var rng = new Random(3);
        var noisy = new RgbImage(W, H, Enumerable.Range(0, 3 * W * H).Select(_ => (float)rng.NextDouble()).ToArray());
        ImageFiles.WriteRgbJpeg(noisy, bad);
        var bytes = File.ReadAllBytes(bad);
        File.WriteAllBytes(bad, bytes[..(bytes.Length / 2)]);
        var ds = new KittiRawDataset(Root, [new SplitEntry(Drive, 1, CameraSide.Left)], Options() with { ImageExtension = ".jpg" });
        var ex = Assert.Throws<BadSampleException>(() => ds.GetSample(0, new Random(0)));
        Assert.Contains(bad, ex.Message);
        Assert.IsType<InvalidDataException>(ex.InnerException);
    }

    [Fact]
    public void WrongSizeFrameInAFolderVideoNamesTheFile()
    {
        var seq = Path.Combine(Root, "walk");
        for (var f = 0; f < 4; f++)
        {
            ImageFiles.WriteRgbPng(Frame(f, CameraSide.Left, f == 3 ? 48 : W), Path.Combine(seq, $"{f}.png"));
        }

        File.WriteAllText(Path.Combine(seq, "intrinsics.txt"), "pixels 32 64 32 16");
        var ds = new FolderVideoDataset(Root, Options());
        Assert.NotNull(ds.GetSample(0, new Random(0)));
        var ex = Assert.Throws<BadSampleException>(() => ds.GetSample(1, new Random(0)));
        Assert.Contains(Path.Combine(seq, "3.png"), ex.Message);
        Assert.Contains("48 x 32", ex.Message);

        // With an explicit size in the intrinsics file, every frame must match it.
        File.WriteAllText(Path.Combine(seq, "intrinsics.txt"), "pixels 32 64 32 16 640 320");
        var strict = new FolderVideoDataset(Root, Options());
        Assert.Contains("640 x 320", Assert.Throws<BadSampleException>(() => strict.GetSample(0, new Random(0))).Message);
    }

    [Fact]
    public void BadOrMissingIntrinsicsFileNamesTheFile()
    {
        var seq = Path.Combine(Root, "walk");
        for (var f = 0; f < 3; f++)
        {
            ImageFiles.WriteRgbPng(Frame(f, CameraSide.Left), Path.Combine(seq, $"{f}.png"));
        }

        var missing = Assert.Throws<BadSampleException>(() => new FolderVideoDataset(Root, Options()).GetSample(0, new Random(0)));
        Assert.Contains(Path.Combine(seq, "intrinsics.txt"), missing.Message);
        var path = Path.Combine(Root, "intrinsics.txt");
        File.WriteAllText(path, "pixels 32 x 32 16");
        var bad = Assert.Throws<BadSampleException>(() => new FolderVideoDataset(Root, Options()).GetSample(0, new Random(0)));
        Assert.Contains(path + ":1:", bad.Message);
    }

    [Fact]
    public void BadCalibrationNamesTheFile()
    {
        WriteKittiRaw(count: 3);
        var calib = Path.Combine(Root, "2011_09_26", "calib_cam_to_cam.txt");
        var ds = new KittiRawDataset(Root, [new SplitEntry(Drive, 1, CameraSide.Left)], Options(), useCalibration: true);
        Assert.Contains(calib, Assert.Throws<BadSampleException>(() => ds.GetSample(0, new Random(0))).Message);
        File.WriteAllText(calib, "S_rect_02: 1000 500\nP_rect_02: 1 2 3");
        var ds2 = new KittiRawDataset(Root, [new SplitEntry(Drive, 1, CameraSide.Left)], Options(), useCalibration: true);
        Assert.Contains(calib + ":2:", Assert.Throws<BadSampleException>(() => ds2.GetSample(0, new Random(0))).Message);
    }

    [Fact]
    public void SkippingCountsBadSamples()
    {
        WriteKittiRaw(count: 6);
        var bad = KittiRawDataset.ImagePath(Root, Drive, 0, CameraSide.Left, ".png");
        File.WriteAllText(bad, "not a png");

        // Targets 1..5: target 1 has an unreadable previous frame, target 5 no next frame.
        var entries = Enumerable.Range(1, 5).Select(f => new SplitEntry(Drive, f, CameraSide.Left)).ToList();
        var ds = new KittiRawDataset(Root, entries, Options() with { SkipBadSamples = true });
        Assert.Null(ds.TryGetSample(4, new Random(0)));
        Assert.Null(ds.TryGetSample(4, new Random(0)));
        Assert.Single(ds.Skipped);

        var loaded = Enumerable.Range(0, ds.Count).Select(i => ds.TryGetSample(i, new Random(i))).OfType<MonodepthSample>().Select(s => s.Index);
        Assert.Equal([1, 2, 3], loaded);
        Assert.Equal([0, 4], ds.Skipped.Select(s => s.Index));
        Assert.Contains(bad, ds.Skipped[0].Reason);
        Assert.Contains(KittiRawDataset.ImagePath(Root, Drive, 6, CameraSide.Left, ".png"), ds.Skipped[1].Reason);

        var strict = new KittiRawDataset(Root, entries, Options());
        Assert.Contains(bad, Assert.Throws<BadSampleException>(() => strict.TryGetSample(0, new Random(0))).Message);
    }
}
