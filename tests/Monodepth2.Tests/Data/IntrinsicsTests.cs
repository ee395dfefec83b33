using Monodepth2.Data;
using Monodepth2.Geometry;
using Monodepth2.Imaging;

namespace Monodepth2.Tests.Data;

public sealed class IntrinsicsTests : DataFixture
{
    private const string Calib = """
        calib_time: 09-Jan-2012 13:57:47
        corner_dist: 9.950000e-02
        S_02: 1.392000e+03 5.120000e+02
        S_rect_02: 1.000000e+03 5.000000e+02
        R_rect_02: 1 0 0 0 1 0 0 0 1
        P_rect_02: 7.000000e+02 0 4.800000e+02 4.4e+01 0 7.100000e+02 2.400000e+02 0.2 0 0 1 0.002
        S_rect_03: 800 400
        P_rect_03: 640 0 400 -339 0 600 220 2.1 0 0 1 0.002
        """;

    [Fact]
    public void CalibCamToCamGivesNormalisedIntrinsics()
    {
        var path = Path.Combine(Root, "calib_cam_to_cam.txt");
        File.WriteAllText(path, Calib);
        AssertIntrinsics(new Intrinsics(0.7, 1.42, 0.48, 0.48), KittiCalibration.ReadIntrinsics(path, CameraSide.Left));
        AssertIntrinsics(new Intrinsics(0.8, 1.5, 0.5, 0.55), KittiCalibration.ReadIntrinsics(path, CameraSide.Right));
    }

    [Fact]
    public void KittiRawReadsCalibrationPerSide()
    {
        WriteKittiRaw(count: 3);
        File.WriteAllText(Path.Combine(Root, "2011_09_26", "calib_cam_to_cam.txt"), Calib);
        var ds = new KittiRawDataset(Root, [new SplitEntry(Drive, 1, CameraSide.Left), new SplitEntry(Drive, 1, CameraSide.Right)], Options(), useCalibration: true);
        AssertIntrinsics(new Intrinsics(0.7, 1.42, 0.48, 0.48), ds.GetSample(0, new Random(0)).Intrinsics);
        AssertIntrinsics(new Intrinsics(0.8, 1.5, 0.5, 0.55), ds.GetSample(1, new Random(0)).Intrinsics);
    }

    [Theory]
    [InlineData("P_rect_02: 700 0 480 0 0 710 240 0 0 0 1\nS_rect_02: 1000 500", ":1:", "12 numbers")]
    [InlineData("S_rect_02: 1000 abc\nP_rect_02: 700 0 480 0 0 710 240 0 0 0 1 0", ":1:", "'abc'")]
    [InlineData("S_rect_02: 1000 500", "", "no P_rect_02")]
    public void BadCalibrationNamesFileAndLine(string text, string line, string what)
    {
        var path = Path.Combine(Root, "calib_cam_to_cam.txt");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<InvalidDataException>(() => KittiCalibration.ReadIntrinsics(path, CameraSide.Left));
        Assert.Contains(path + line, ex.Message);
        Assert.Contains(what, ex.Message);
    }

    [Theory]
    [InlineData("pixels 32 64 32 16")]
    [InlineData("# measured on the stored frames\npixels 32 64 32 16 64 32")]
    [InlineData("normalized 0.5 2 0.5 0.5")]
    [InlineData("\nNormalised 0.5 2.0 0.5 0.5\n")]
    public void PixelAndNormalisedIntrinsicsFilesAgree(string text)
    {
        var seq = Path.Combine(Root, "seq");
        for (var f = 0; f < 3; f++)
        {
            ImageFiles.WriteRgbPng(Frame(f, CameraSide.Left), Path.Combine(seq, $"{f}.png"));
        }

        File.WriteAllText(Path.Combine(seq, "intrinsics.txt"), text);
        File.WriteAllText(Path.Combine(Root, "intrinsics.txt"), "normalized 0.9 0.9 0.1 0.1");
        var s = new FolderVideoDataset(Root, Options()).GetSample(0, new Random(0));
        AssertIntrinsics(new Intrinsics(0.5, 2, 0.5, 0.5), s.Intrinsics);
    }

    [Theory]
    [InlineData("32 64 32 16", 1, "'pixels' or 'normalized'")]
    [InlineData("# c\npixels 32 abc 32 16", 2, "'abc'")]
    [InlineData("pixels 32 64 32", 1, "4 or 6 numbers")]
    [InlineData("normalized 300 600 320 96", 1, "[0, 1]")]
    [InlineData("pixels 1 1 1 1\npixels 2 2 2 2", 2, "only one")]
    public void BadIntrinsicsFileNamesFileAndLine(string text, int line, string what)
    {
        var path = Path.Combine(Root, "intrinsics.txt");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<InvalidDataException>(() => IntrinsicsFile.Read(path));
        Assert.Contains($"{path}:{line}:", ex.Message);
        Assert.Contains(what, ex.Message);
    }

    private static void AssertIntrinsics(Intrinsics expected, Intrinsics actual)
    {
        Assert.Equal(expected.Fx, actual.Fx, 12);
        Assert.Equal(expected.Fy, actual.Fy, 12);
        Assert.Equal(expected.Cx, actual.Cx, 12);
        Assert.Equal(expected.Cy, actual.Cy, 12);
    }
}
