using System.Globalization;
using Monodepth2.Data;
using Monodepth2.Imaging;

namespace Monodepth2.Tests.Data;

/// <summary>Camera travel from hand-written oxts, poses and speeds files, with hand-computed distances.</summary>
public sealed class CameraTravelTests : DataFixture
{
    private static string OxtsLine(double vf, double vl, double vu)
    {
        var fields = Enumerable.Range(0, 30).Select(i => (i + 0.25).ToString(CultureInfo.InvariantCulture)).ToArray();
        fields[8] = vf.ToString(CultureInfo.InvariantCulture);
        fields[9] = vl.ToString(CultureInfo.InvariantCulture);
        fields[10] = vu.ToString(CultureInfo.InvariantCulture);
        return string.Join(' ', fields) + "\n";
    }

    private string WriteOxts(params string[] dataLines)
    {
        var drive = Path.Combine(Root, Drive);
        Directory.CreateDirectory(Path.Combine(drive, "oxts", "data"));
        // Across a minute boundary: 0.1 s, then 0.2 s.
        File.WriteAllText(Path.Combine(drive, "oxts", "timestamps.txt"), "2011-09-26 13:02:59.950000000\n2011-09-26 13:03:00.050000000\n2011-09-26 13:03:00.250000000\n");
        for (var i = 0; i < dataLines.Length; i++)
        {
            File.WriteAllText(OxtsFile.DataPath(drive, i), dataLines[i]);
        }

        return drive;
    }

    [Fact]
    public void OxtsTravelIsTheTrapezoidIntegralOfTheSpeedVector()
    {
        // Speeds |(vf, vl, vu)|: |(3, 4, 0)| = 5, |(10, 0, 0)| = 10, |(12, 0, -5)| = 13 m/s at t = 0, 0.1, 0.3 s.
        var drive = WriteOxts(OxtsLine(3, 4, 0), OxtsLine(10, 0, 0), OxtsLine(12, 0, -5));
        var travel = CameraTravel.FromOxts(drive);
        Assert.Equal(3, travel.FrameCount);
        AssertNear(0.1 * (5 + 10) / 2, travel.Between(0, 1));     // 0.75
        AssertNear(0.2 * (10 + 13) / 2, travel.Between(2, 1));    // 2.3, either order
        AssertNear(0.75 + 2.3, travel.Between(0, 2));
        Assert.Null(travel.Between(2, 3));
        Assert.Null(travel.Between(-1, 0));
    }

    [Fact]
    public void OxtsFramesWithoutADataFileHaveNoKnownTravel()
    {
        var drive = WriteOxts(OxtsLine(3, 4, 0), OxtsLine(10, 0, 0));
        var travel = CameraTravel.FromOxts(drive);
        AssertNear(0.75, travel.Between(0, 1));
        Assert.Null(travel.Between(1, 2));
        Assert.Null(travel.Between(0, 2));
    }

    [Fact]
    public void MalformedOxtsFilesNameTheFileAndLine()
    {
        var drive = WriteOxts(OxtsLine(3, 4, 0), "1 2 3\n", OxtsLine(1, 1, 1).Replace("1 1 1", "1 x 1", StringComparison.Ordinal));
        var short29 = Assert.Throws<InvalidDataException>(() => OxtsFile.ReadSpeed(OxtsFile.DataPath(drive, 1)));
        Assert.Contains(OxtsFile.DataPath(drive, 1) + ":1", short29.Message, StringComparison.Ordinal);
        var notNumber = Assert.Throws<InvalidDataException>(() => OxtsFile.ReadSpeed(OxtsFile.DataPath(drive, 2)));
        Assert.Contains("field 9", notNumber.Message, StringComparison.Ordinal);
        File.WriteAllText(OxtsFile.TimestampsPath(drive), "2011-09-26 13:02:59.950000000\n13:03:00.05\n");
        var stamp = Assert.Throws<InvalidDataException>(() => OxtsFile.ReadTimestamps(OxtsFile.TimestampsPath(drive)));
        Assert.Contains(OxtsFile.TimestampsPath(drive) + ":2", stamp.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PosesTravelIsTheDistanceBetweenCameraCentres()
    {
        // Camera centres (0, 0, 0), (1, 2, 2), (2, 3, 6) with rotated frames: travel 3 (0-1), sqrt(1 + 1 + 16) (1-2), 7 (0-2).
        var path = Path.Combine(Root, "poses.txt");
        File.WriteAllText(path, "1 0 0 0 0 1 0 0 0 0 1 0\n0 0 1 1 0 1 0 2 -1 0 0 2\n\n0 -1 0 2 1 0 0 3 0 0 1 6\n");
        var travel = CameraTravel.FromPoseFile(path);
        AssertNear(3, travel.Between(0, 1));
        AssertNear(Math.Sqrt(18), travel.Between(2, 1));
        AssertNear(7, travel.Between(0, 2));
        Assert.Null(travel.Between(2, 3));

        File.WriteAllText(path, "1 0 0 0 0 1 0 0 0 0 1 0\n1 0 0 0 0 1 0 0 0 0 1\n");
        var bad = Assert.Throws<InvalidDataException>(() => CameraTravel.FromPoseFile(path));
        Assert.Contains(path + ":2", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KittiRawTrainsFromThePosesFileWithoutOxts()
    {
        WriteKittiRaw(4);
        Assert.False(new KittiRawDataset(Root, [new SplitEntry(Drive, 1, CameraSide.Left)], Options()).HasTravel);
        // Poses for frames 0..2 only: frame 3 has none, so sample 2's +1 travel is unknown (masked).
        Directory.CreateDirectory(Path.Combine(Root, "poses"));
        File.WriteAllText(KittiRawDataset.PosesPath(Root, Drive), "1 0 0 0 0 1 0 0 0 0 1 0\n1 0 0 0 0 1 0 0 0 0 1 1.5\n1 0 0 0.3 0 1 0 0 0 0 1 3.1\n");
        Assert.Equal(Path.Combine(Root, "poses", "2011_09_26_drive_0001.txt"), KittiRawDataset.PosesPath(Root, Drive));
        var entries = new[] { new SplitEntry(Drive, 1, CameraSide.Left), new SplitEntry(Drive, 2, CameraSide.Right) };
        var dataset = new KittiRawDataset(Root, entries, Options() with { LoadTravel = true });
        Assert.True(dataset.HasTravel);
        var first = dataset.GetSample(0, new Random(1)).Travel;
        AssertNear(1.5, first[FrameId.Temporal(-1)]);
        AssertNear(Math.Sqrt((0.3 * 0.3) + (1.6 * 1.6)), first[FrameId.Temporal(1)]);
        var second = dataset.GetSample(1, new Random(1)).Travel;
        Assert.False(second.ContainsKey(FrameId.Temporal(1)));
        AssertNear(Math.Sqrt((0.3 * 0.3) + (1.6 * 1.6)), second[FrameId.Temporal(-1)]);
        // Without LoadTravel nothing is read.
        Assert.Empty(new KittiRawDataset(Root, entries, Options()).GetSample(0, new Random(1)).Travel);
    }

    [Fact]
    public void FolderSpeedsFileGivesTravelAndBadFilesNameTheLine()
    {
        var seq = Path.Combine(Root, "walk");
        for (var f = 0; f < 3; f++)
        {
            ImageFiles.WriteRgbPng(Frame(f, CameraSide.Left), Path.Combine(seq, $"f{f}.png"));
        }

        File.WriteAllText(Path.Combine(Root, "intrinsics.txt"), "normalized 0.58 1.92 0.5 0.5\n");
        var speeds = Path.Combine(seq, CameraTravel.SpeedsFileName);
        // 10 m/s at 0 s, 12 at 0.1 s, 8 at 0.35 s: 1.1 m then 2.5 m.
        File.WriteAllText(speeds, "# seconds speed\n100.0 10\n100.1 12\n100.35 8\n");
        var dataset = new FolderVideoDataset(Root, Options() with { LoadTravel = true });
        Assert.True(dataset.HasTravel);
        var travel = dataset.GetSample(0, new Random(1)).Travel;
        AssertNear(1.1, travel[FrameId.Temporal(-1)]);
        AssertNear(2.5, travel[FrameId.Temporal(1)]);

        File.WriteAllText(speeds, "100.0 10\n99.9 12\n100.35 8\n");
        var backwards = Assert.Throws<BadSampleException>(() => new FolderVideoDataset(Root, Options() with { LoadTravel = true }).GetSample(0, new Random(1)));
        Assert.Contains(speeds + ":2", backwards.ToString(), StringComparison.Ordinal);
        File.WriteAllText(speeds, "100.0 10\n100.1 12\n");
        var count = Assert.Throws<BadSampleException>(() => new FolderVideoDataset(Root, Options() with { LoadTravel = true }).GetSample(0, new Random(1)));
        Assert.Contains("2 lines but the sequence has 3 frames", count.ToString(), StringComparison.Ordinal);
    }

    private static void AssertNear(double expected, double? actual) =>
        Assert.True(actual is { } a && Math.Abs(a - expected) < 1e-9, $"expected {expected}, got {actual?.ToString(CultureInfo.InvariantCulture) ?? "null"}");
}
