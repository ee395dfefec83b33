using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Monodepth2.Data;
using Monodepth2.Data.Synthetic;
using Monodepth2.Geometry;
using Monodepth2.Onnx;
using Monodepth2.Networks;
using Monodepth2.Weights;
using static TorchSharp.torch;

namespace Monodepth2.Benchmarks;

/// <summary>
/// Depth scoring speed on CPU (default 640x192): TorchSharp direct, ONNX Runtime direct on the exported model, and the
/// ML.NET pipeline (EstimateDepth's stock transforms) over 100 images, each as a share of the measured matmul ceiling.
/// Weights are random: speed does not depend on them.
/// </summary>
internal static class ScoringBenchmark
{
    public const int PipelineImages = 100;

    public static IEnumerable<BenchRow> Run(BenchOptions o)
    {
        var root = Directory.CreateTempSubdirectory("md2-bench-score-").FullName;
        try
        {
            using var networks = new MonodepthNetworks(new NetworkOptions(18), withPose: false);
            networks.Train(false);
            var info = new ModelInfo { Width = o.Width, Height = o.Height, UseStereo = false };
            var folder = Path.Combine(root, "model");
            ModelFolder.Save(folder, networks, info);

            using var probe = rand(1, 3, o.Height, o.Width);
            var macs = MacCounter.Count([networks.Encoder, networks.Decoder], () =>
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                networks.PredictDisparity(probe);
            });
            var n = o.MatmulSize;
            var ceilings = new List<double> { MatmulCeiling.Measure(n, Math.Max(5, o.Iterations / 2)) };

            var rows = new List<(string Name, double MsPerImage, string Note)>();
            foreach (var batch in new[] { 1, 8 })
            {
                using var x = rand(batch, 3, o.Height, o.Width);
                var t = ForwardBenchmark.TimeMs(() =>
                {
                    using var scope = NewDisposeScope();
                    using var noGrad = no_grad();
                    var (disp, depth) = DepthConversion.DispToDepth(networks.PredictDisparity(x)[0]);
                    _ = depth.data<float>()[0];
                }, o.Warmup, Math.Max(3, o.Iterations / batch));
                rows.Add(($"TorchSharp direct, batch {batch}", t.Median / batch, $"median of {Math.Max(3, o.Iterations / batch)} runs"));
            }

            var onnx = DepthOnnxExporter.Export(networks, info);
            using (var session = new InferenceSession(onnx))
            {
                foreach (var batch in new[] { 1, 8 })
                {
                    var input = new DenseTensor<float>(RandomPixels(batch * 3 * o.Height * o.Width), [batch, 3, o.Height, o.Width]);
                    var inputs = new[] { NamedOnnxValue.CreateFromTensor(DepthOnnxExporter.InputName, input) };
                    var t = ForwardBenchmark.TimeMs(() =>
                    {
                        using var results = session.Run(inputs);
                    }, o.Warmup, Math.Max(3, o.Iterations / batch));
                    rows.Add(($"ONNX Runtime direct, batch {batch}", t.Median / batch, $"median of {Math.Max(3, o.Iterations / batch)} runs"));
                }
            }

            // The ML.NET pipeline over 100 synthetic frames at the network size: from PNG files (LoadImages) and from images in memory.
            var world = new SyntheticWorldOptions { Width = o.Width, Height = o.Height, Sequences = 1, FramesPerSequence = PipelineImages, TestSequences = 0, ValSequences = 0, Seed = 4 };
            SyntheticDatasetWriter.Write(Path.Combine(root, "data"), world);
            var paths = Enumerable.Range(0, PipelineImages)
                .Select(i => KittiRawDataset.ImagePath(Path.Combine(root, "data"), SyntheticDatasetWriter.DriveFolder(world, 0), i, CameraSide.Left, ".png")).ToList();
            var ml = new MLContext();
            var files = ml.Data.LoadFromEnumerable(paths.Select(p => new PathRow { Path = p }).ToList());
            using (var model = ml.Transforms.LoadImages("Image", null, "Path").Append(ml.Transforms.EstimateDepth("Depth", "Image", folder)).Fit(files))
            {
                Consume(model.Transform(files)); // warm-up: ONNX Runtime session, first decode
                var sw = Stopwatch.StartNew();
                Consume(model.Transform(files));
                rows.Add(("ML.NET pipeline, LoadImages from PNG", sw.Elapsed.TotalMilliseconds / PipelineImages, $"{PipelineImages} images, one Transform, incl. PNG decode"));
            }

            // In-memory images at twice the network size: ML.NET's ResizeImages passes an image of the target size through
            // unchanged and the pipeline then disposes it, so the caller's images would not survive a second pass.
            var bigWorld = world with { Width = 2 * o.Width, Height = 2 * o.Height };
            SyntheticDatasetWriter.Write(Path.Combine(root, "data2x"), bigWorld);
            var images = Enumerable.Range(0, PipelineImages)
                .Select(i => MLImage.CreateFromFile(KittiRawDataset.ImagePath(Path.Combine(root, "data2x"), SyntheticDatasetWriter.DriveFolder(bigWorld, 0), i, CameraSide.Left, ".png"))).ToList();
            try
            {
                var inMemory = ml.Data.LoadFromEnumerable(images.Select(i => new ImageRow { Image = i }).ToList(), ImageRow.Schema());
                using var model = ml.Transforms.EstimateDepth("Depth", "Image", folder).Fit(inMemory);
                Consume(model.Transform(inMemory));
                var sw = Stopwatch.StartNew();
                Consume(model.Transform(inMemory));
                rows.Add(("ML.NET pipeline, images in memory", sw.Elapsed.TotalMilliseconds / PipelineImages, $"{PipelineImages} images at {bigWorld.Width}x{bigWorld.Height}, one Transform, incl. resize"));
            }
            finally
            {
                images.ForEach(i => i.Dispose());
            }

            ceilings.Add(MatmulCeiling.Measure(n, Math.Max(5, o.Iterations / 2)));
            var ceiling = ceilings.Max();
            string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
            var ortBatch1 = rows.Single(r => r.Name == "ONNX Runtime direct, batch 1").MsPerImage;
            var table = new List<BenchRow>
            {
                new("depth net MACs", F(macs / 1e9, "F3") + " G", $"ResNet-18 encoder + decoder, {o.Width}x{o.Height}"),
                new($"matmul {n}x{n} fp32 GFLOP/s (ceiling)", F(ceiling, "F1"), $"the higher of two readings (before and after the runs): {string.Join(", ", ceilings.Select(c => F(c, "F1")))}"),
            };
            foreach (var (name, ms, note) in rows)
            {
                var gflops = 2.0 * macs / (ms / 1e3) / 1e9;
                table.Add(new BenchRow(name, $"{F(ms, "F1")} ms/img, {F(1000 / ms, "F2")} img/s",
                    $"{F(100 * gflops / ceiling, "F0")} % of ceiling; {F(100 * ortBatch1 / ms, "F0")} % of ORT batch 1; {note}"));
            }

            return table;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Consume(IDataView scored)
    {
        var count = 0;
        foreach (var v in scored.GetColumn<VBuffer<float>>("Depth"))
        {
            count += v.Length > 0 ? 1 : 0;
        }

        if (count != PipelineImages)
        {
            throw new InvalidOperationException($"Scored {count} images, expected {PipelineImages}.");
        }
    }

    private static float[] RandomPixels(int count)
    {
        var rng = new Random(1);
        return Enumerable.Range(0, count).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = string.Empty;
    }
}

/// <summary>A row holding an image in memory.</summary>
internal sealed class ImageRow
{
    [Microsoft.ML.Transforms.Image.ImageType(1, 1)]
    public MLImage Image { get; set; } = null!;

    /// <summary>The attribute's size is a label only (ML.NET cannot register a size-less image type): ResizeImages reads each image's size.</summary>
    public static SchemaDefinition Schema() => SchemaDefinition.Create(typeof(ImageRow));
}
