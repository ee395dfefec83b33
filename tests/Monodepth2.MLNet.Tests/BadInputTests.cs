using Microsoft.ML;
using Microsoft.ML.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Monodepth2.MLNet.Tests;

/// <summary>Bad input to a fitted depth transform: clear errors naming the file or column, or correct results; never a crash.</summary>
public sealed class BadInputTests(TrainedDepthModel fixture) : TorchTestBase, IClassFixture<TrainedDepthModel>
{
    private string Folder { get; } = Directory.CreateDirectory(Path.Combine(fixture.Root, "bad-" + Guid.NewGuid().ToString("N")[..6])).FullName;

    [Fact]
    public void AColumnOfTheWrongTypeIsNamed()
    {
        var ml = new MLContext();
        var estimator = ml.Transforms.EstimateDepth("Depth", "Path", fixture.Depth.ModelFolder!);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(fixture.PathsView(fixture.TestImages.Take(1))));
        Assert.Contains("'Path'", e.Message, StringComparison.Ordinal);
        Assert.Contains("LoadImages", e.Message, StringComparison.Ordinal);

        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Depth.Transform(fixture.PathsView(fixture.TestImages.Take(1))));
        Assert.Contains("'Image'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("'Path'", missing.Message, StringComparison.Ordinal); // lists the columns there are
    }

    [Fact]
    public void ReservedColumnNamesAreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Transforms.EstimateDepth("Depth", "image", fixture.Depth.ModelFolder!));
        Assert.Contains("'image'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GreyRgbaAnd16BitPngsGiveTheDepthOfTheirRgbContent()
    {
        var source = fixture.TestImages[0];
        using var rgb = Image.Load<Rgb24>(source);
        var grey = rgb.CloneAs<L8>();
        var greyAsRgb = grey.CloneAs<Rgb24>();
        var files = new Dictionary<string, Action<string>>
        {
            ["grey8.png"] = p => grey.SaveAsPng(p),
            ["grey-as-rgb.png"] = p => greyAsRgb.SaveAsPng(p),
            ["grey16.png"] = p => grey.CloneAs<L16>().SaveAsPng(p, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Grayscale }),
            ["rgba.png"] = p => rgb.CloneAs<Rgba32>().SaveAsPng(p, new PngEncoder { ColorType = PngColorType.RgbWithAlpha }),
            ["rgb48.png"] = p => rgb.CloneAs<Rgb48>().SaveAsPng(p, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb }),
        };
        foreach (var (name, write) in files)
        {
            write(Path.Combine(Folder, name));
        }

        // Through ML.NET's LoadImages (the pipeline) and through PredictFiles (the library's loader).
        var depth = files.Keys.ToDictionary(n => n, n => Score(Path.Combine(Folder, n)));
        var viaFiles = fixture.Depth.PredictFiles(files.Keys.Select(n => Path.Combine(Folder, n))).ToDictionary(r => System.IO.Path.GetFileName(r.Path), r => r.Depth);
        var original = Score(source);
        AssertSame(depth["grey-as-rgb.png"], depth["grey8.png"], "grey PNG");
        AssertSame(depth["grey-as-rgb.png"], depth["grey16.png"], "16-bit grey PNG");
        AssertSame(original, depth["rgba.png"], "RGBA PNG");
        AssertSame(original, depth["rgb48.png"], "16-bit RGB PNG");
        foreach (var (name, d) in viaFiles)
        {
            AssertSame(depth[name], d, $"PredictFiles {name}");
        }
    }

    [Fact]
    public void TinyAndLargeImagesAreScored()
    {
        var tiny = Path.Combine(Folder, "one.png");
        using (var one = new Image<Rgb24>(1, 1, new Rgb24(90, 120, 200)))
        {
            one.SaveAsPng(tiny);
        }

        var large = Path.Combine(Folder, "large.png");
        using (var big = Image.Load<Rgb24>(fixture.TestImages[0]))
        {
            big.Mutate(c => c.Resize(6000, 3000));
            big.SaveAsPng(large, new PngEncoder { CompressionLevel = PngCompressionLevel.BestSpeed });
        }

        foreach (var file in new[] { tiny, large })
        {
            var d = Score(file);
            Assert.Equal(TrainedDepthModel.Width * TrainedDepthModel.Height, d.Length);
            Assert.All(d, v => Assert.True(float.IsFinite(v) && v > 0, file));
        }
    }

    [Fact]
    public void BadFilesAreNamedAndSkippingKeepsTheOthers()
    {
        var good = fixture.TestImages.Take(2).ToArray();
        var text = Path.Combine(Folder, "notes.png");
        File.WriteAllText(text, "not an image");
        var truncated = Path.Combine(Folder, "cut.jpg");
        using (var image = Image.Load<Rgb24>(good[0]))
        {
            image.SaveAsJpeg(truncated);
        }

        var bytes = File.ReadAllBytes(truncated);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var missing = Path.Combine(Folder, "missing.png");
        string[] paths = [good[0], text, truncated, missing, good[1]];

        var results = fixture.Depth.PredictFiles(paths, skipBadImages: true).ToList();
        Assert.Equal(paths, results.Select(r => r.Path));
        Assert.True(results[0].Succeeded && results[4].Succeeded);
        Assert.Equal(Score(good[1]), results[4].Depth);
        Assert.Contains("notes.png", results[1].Error, StringComparison.Ordinal);
        Assert.Contains("cut.jpg", results[2].Error, StringComparison.Ordinal);
        Assert.Contains("truncated", results[2].Error, StringComparison.Ordinal);
        Assert.Contains("missing.png", results[3].Error, StringComparison.Ordinal);

        var e = Assert.Throws<InvalidDataException>(() => fixture.Depth.PredictFiles(paths).ToList());
        Assert.Contains("notes.png", e.Message, StringComparison.Ordinal);

        // ML.NET's own LoadImages stops the whole Transform at the first bad row, with its own message: managed, no crash.
        var stock = Assert.ThrowsAny<Exception>(() => fixture.Model.Transform(fixture.PathsView([good[0], missing])).GetColumn<VBuffer<float>>("Depth").ToList());
        Assert.Contains("missing.png", stock.ToString(), StringComparison.Ordinal);
    }

    private float[] Score(string path) =>
        fixture.Model.Transform(fixture.PathsView([path])).GetColumn<VBuffer<float>>("Depth").Single().DenseValues().ToArray();

    private static void AssertSame(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Zip(actual, (a, b) => Math.Abs(a - b) / a).Max();
        Assert.True(worst <= 1e-4, $"{what}: depth differs by {worst} (relative)");
    }
}
