using Monodepth2.Data;

namespace Monodepth2.Tests.Data;

public sealed class SplitFileTests : DataFixture
{
    [Fact]
    public void ParsesSidesAndSkipsBlankLines()
    {
        var path = Path.Combine(Root, "train_files.txt");
        File.WriteAllLines(path, ["2011_09_26/2011_09_26_drive_0001_sync 12 l", "", "  ", "2011_09_26/x_sync 7 r", "a 3 2", "b 4 3", "09 100"]);
        var entries = SplitFile.Read(path);
        Assert.Equal(5, entries.Count);
        Assert.Equal(new SplitEntry("2011_09_26/2011_09_26_drive_0001_sync", 12, CameraSide.Left, path, 1), entries[0]);
        Assert.Equal((CameraSide?)CameraSide.Right, entries[1].Side);
        Assert.Equal(4, entries[1].LineNumber);
        Assert.Equal((CameraSide?)CameraSide.Left, entries[2].Side);
        Assert.Equal((CameraSide?)CameraSide.Right, entries[3].Side);
        Assert.Null(entries[4].Side);
        Assert.Equal(("09", 100), (entries[4].Folder, entries[4].FrameIndex));
    }

    [Theory]
    [InlineData("a 1 l\nb x l", 2, "frame index 'x'")]
    [InlineData("a 1 l\n\nb 2 q", 3, "side 'q'")]
    [InlineData("onlyfolder", 1, "expected")]
    [InlineData("a 1 l extra", 1, "expected")]
    [InlineData("a -1 l", 1, "frame index '-1'")]
    public void ErrorsNameFileAndLine(string text, int line, string what)
    {
        var path = Path.Combine(Root, "bad_split.txt");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<InvalidDataException>(() => SplitFile.Read(path));
        Assert.Contains($"{path}:{line}:", ex.Message);
        Assert.Contains(what, ex.Message);
    }

    [Fact]
    public void MissingSplitFileNamesIt()
    {
        var path = Path.Combine(Root, "nope.txt");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => SplitFile.Read(path)).Message);
    }

    [Fact]
    public void FrameIdsParseAndPrint()
    {
        Assert.Equal(FrameId.Stereo, FrameId.Parse("s"));
        Assert.Equal(FrameId.Temporal(1), FrameId.Parse("+1"));
        Assert.Equal(FrameId.Temporal(-1), FrameId.Parse("-1"));
        Assert.Equal("+1", FrameId.Temporal(1).ToString());
        Assert.Equal("s", FrameId.Stereo.ToString());
        Assert.NotEqual(FrameId.Stereo, FrameId.Target);
        Assert.Throws<FormatException>(() => FrameId.Parse("x"));
    }
}
