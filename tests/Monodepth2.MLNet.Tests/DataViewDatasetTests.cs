using Microsoft.ML;
using Monodepth2.Data;
using Monodepth2.Imaging;
using Monodepth2.MLNet.Data;

namespace Monodepth2.MLNet.Tests;

/// <summary>Training samples from IDataView rows: neighbours by sequence and frame index, sides, and clear errors.</summary>
public sealed class DataViewDatasetTests(TrainedDepthModel fixture) : TorchTestBase, IClassFixture<TrainedDepthModel>
{
    private static readonly FrameColumnNames Columns = new() { Image = "Image" };

    private static DatasetOptions Options(params FrameId[] ids) => new() { Width = 64, Height = 32, FrameIds = ids, Augment = false };

    private static IDataView Load(IEnumerable<FrameRow> rows)
    {
        var ml = new MLContext();
        return ml.Transforms.LoadImages("Image", null, nameof(FrameRow.Path)).Fit(ml.Data.LoadFromEnumerable(rows.ToList())).Transform(ml.Data.LoadFromEnumerable(rows.ToList()));
    }

    [Fact]
    public void SamplesAreFramesWithBothNeighboursResizedLikeFiles()
    {
        var dataset = new DataViewDataset(Load(fixture.Rows), Columns, Options(0, -1, 1));
        var sequences = fixture.Rows.Select(r => r.Sequence).Distinct().Count();
        Assert.Equal(sequences * (fixture.World.FramesPerSequence - 2), dataset.Count);
        Assert.Equal(fixture.Rows.Count, dataset.FrameCount);

        var sample = dataset.GetSample(0, new Random(0));
        var first = fixture.Rows[0];
        Assert.Contains("frame 1", sample.Description, StringComparison.Ordinal);
        foreach (var (id, offset) in new[] { (FrameId.Target, 1), (FrameId.Temporal(-1), 0), (FrameId.Temporal(1), 2) })
        {
            var expected = ImageFiles.ReadRgb(fixture.Rows[offset].Path, 64, 32).Data;
            var actual = sample.Pyramids[id][0].Data;
            Assert.Equal(first.Sequence, fixture.Rows[offset].Sequence);
            Assert.True(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() <= 0.5 / 255 + 1e-6, $"frame {id}");
        }
    }

    [Fact]
    public void StereoPairsComeFromTheSideColumn()
    {
        // Right-camera rows get their own images (the left frame in negative), listed in reverse order so that a partner
        // found by row position rather than by sequence and frame would be wrong.
        var rightFolder = Path.Combine(fixture.Root, "right-camera");
        Directory.CreateDirectory(rightFolder);
        var right = fixture.Rows.Select(r =>
        {
            var left = ImageFiles.ReadRgb(r.Path);
            var path = Path.Combine(rightFolder, $"{r.Sequence}-{r.Frame}.png");
            ImageFiles.WriteRgbPng(new RgbImage(left.Width, left.Height, left.Data.Select(v => 1 - v).ToArray()), path);
            return new FrameRow { Path = path, Sequence = r.Sequence, Frame = r.Frame, Side = "r" };
        }).Reverse().ToList();
        var both = fixture.Rows.Concat(right).ToList();
        var dataset = new DataViewDataset(Load(both), Columns with { Side = nameof(FrameRow.Side) }, Options(0, -1, 1, FrameId.Stereo));
        Assert.Equal(2 * fixture.Rows.Select(r => r.Sequence).Distinct().Count() * (fixture.World.FramesPerSequence - 2), dataset.Count);
        var signs = new HashSet<double>();
        for (var i = 0; i < dataset.Count; i++)
        {
            var sample = dataset.GetSample(i, new Random(0));
            signs.Add(sample.SideSign);
            // The row of the target: the description names sequence and frame; its side gives the expected partner.
            var row = both.Single(r => sample.Description.Contains($"sequence '{r.Sequence}', frame {r.Frame}, {(r.Side == "l" ? "Left" : "Right")})", StringComparison.Ordinal));
            var partner = both.Single(r => r.Sequence == row.Sequence && r.Frame == row.Frame && r.Side != row.Side);
            Assert.Equal(row.Side == "l" ? -1.0 : 1.0, sample.SideSign);
            foreach (var (id, expectedRow) in new[] { (FrameId.Target, row), (FrameId.Stereo, partner) })
            {
                var expected = ImageFiles.ReadRgb(expectedRow.Path, 64, 32).Data;
                var actual = sample.Pyramids[id][0].Data;
                Assert.True(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max() <= 0.5 / 255 + 1e-6, $"sample {i} ({sample.Description}): {id} is not {expectedRow.Path}");
            }
        }

        Assert.Equal([-1.0, 1.0], signs.Order());

        var bad = fixture.Rows.Select(r => new FrameRow { Path = r.Path, Sequence = r.Sequence, Frame = r.Frame, Side = "up" });
        var e = Assert.Throws<InvalidDataException>(() => new DataViewDataset(Load(bad), Columns with { Side = nameof(FrameRow.Side) }, Options(0, -1, 1)));
        Assert.Contains("'up'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadTablesGiveClearErrors()
    {
        var lonely = fixture.Rows.Select((r, i) => new FrameRow { Path = r.Path, Sequence = $"s{i}", Frame = 0 });
        var e = Assert.Throws<InvalidDataException>(() => new DataViewDataset(Load(lonely), Columns, Options(0, -1, 1)));
        Assert.Contains("neighbours", e.Message, StringComparison.Ordinal);

        var twice = fixture.Rows.Take(2).Select(r => new FrameRow { Path = r.Path, Sequence = "a", Frame = 3 });
        var d = Assert.Throws<InvalidDataException>(() => new DataViewDataset(Load(twice), Columns, Options(0, -1, 1)));
        Assert.Contains("frame 3", d.Message, StringComparison.Ordinal);

        var s = Assert.Throws<ArgumentException>(() => new DataViewDataset(Load(fixture.Rows), Columns, Options(0, FrameId.Stereo)));
        Assert.Contains("side column", s.Message, StringComparison.Ordinal);

        var c = Assert.Throws<ArgumentOutOfRangeException>(() => new DataViewDataset(Load(fixture.Rows), Columns with { Sequence = "Drive" }, Options(0, -1, 1)));
        Assert.Contains("'Drive'", c.Message, StringComparison.Ordinal);
    }
    [Fact]
    public void TravelColumnStepsAreSummedBetweenTargetAndSource()
    {
        // The step into frame f is f + 0.5 m, except into frame 2: unknown (NaN). So target 1 knows -1 (1.5 m) but not +1,
        // target 3 knows -1 (3.5) and +1 (4.5); with offsets -2 and +2, target 3 knows +2 (4.5 + 5.5) but not -2.
        var rows = fixture.Rows.Select(r => new TravelRow { Path = r.Path, Sequence = r.Sequence, Frame = r.Frame, Travel = r.Frame == 2 ? float.NaN : r.Frame + 0.5f }).ToList();
        var ml = new MLContext();
        var data = ml.Transforms.LoadImages("Image", null, nameof(TravelRow.Path)).Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var columns = Columns with { Travel = nameof(TravelRow.Travel) };
        var dataset = new DataViewDataset(data, columns, Options(0, -1, 1) with { LoadTravel = true });
        Assert.True(dataset.HasTravel);
        var byFrame = Enumerable.Range(0, dataset.Count).Select(i => dataset.GetSample(i, new Random(0)))
            .Where(s => s.Description.Contains($"sequence '{fixture.Rows[0].Sequence}',", StringComparison.Ordinal))
            .ToDictionary(s => int.Parse(s.Description.Split("frame ")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1.5, byFrame[1].Travel[FrameId.Temporal(-1)], 6);
        Assert.False(byFrame[1].Travel.ContainsKey(FrameId.Temporal(1)));
        Assert.Equal(3.5, byFrame[3].Travel[FrameId.Temporal(-1)], 6);
        Assert.Equal(4.5, byFrame[3].Travel[FrameId.Temporal(1)], 6);
        var wide = new DataViewDataset(data, columns, Options(0, -2, 2) with { LoadTravel = true });
        var three = Enumerable.Range(0, wide.Count).Select(i => wide.GetSample(i, new Random(0)))
            .First(s => s.Description.Contains($"sequence '{fixture.Rows[0].Sequence}', frame 3,", StringComparison.Ordinal));
        Assert.False(three.Travel.ContainsKey(FrameId.Temporal(-2)));
        Assert.Equal(4.5 + 5.5, three.Travel[FrameId.Temporal(2)], 6);
        Assert.False(new DataViewDataset(data, Columns, Options(0, -1, 1)).HasTravel);
    }

    public sealed class TravelRow
    {
        public string Path { get; set; } = string.Empty;

        public string Sequence { get; set; } = string.Empty;

        public int Frame { get; set; }

        public float Travel { get; set; }
    }
}
