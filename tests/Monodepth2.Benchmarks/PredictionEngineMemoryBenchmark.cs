using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Monodepth2.Networks;
using Monodepth2.Weights;

namespace Monodepth2.Benchmarks;

/// <summary>
/// Resident memory over many predictions through one ML.NET PredictionEngine on the EstimateDepth transform
/// (default 10,000 at 192x64): shows that scoring releases its native memory (ONNX Runtime tensors, images).
/// </summary>
internal static class PredictionEngineMemoryBenchmark
{
    public static IEnumerable<BenchRow> Run(BenchOptions o)
    {
        var root = Directory.CreateTempSubdirectory("md2-bench-engine-").FullName;
        try
        {
            const int width = 192, height = 64;
            var folder = Path.Combine(root, "model");
            using (var networks = new MonodepthNetworks(new NetworkOptions(18), withPose: false))
            {
                ModelFolder.Save(folder, networks, new ModelInfo { Width = width, Height = height, UseStereo = false });
            }

            var ml = new MLContext();
            var rng = new Random(3);
            var images = Enumerable.Range(0, 8).Select(_ =>
            {
                var pixels = new byte[4 * 320 * 96];
                rng.NextBytes(pixels);
                return MLImage.CreateFromPixels(320, 96, MLPixelFormat.Bgra32, pixels);
            }).ToList();
            var schema = ImageRow.Schema();
            var empty = ml.Data.LoadFromEnumerable(new List<ImageRow>(), schema);
            using var model = ml.Transforms.EstimateDepth("Depth", "Image", folder).Fit(empty);
            using var engine = ml.Model.CreatePredictionEngine<ImageRow, DepthRow>(model, new PredictionEngineOptions { OwnsTransformer = false, InputSchemaDefinition = schema });
            var every = Math.Max(1, o.Predictions / 10);
            var samples = new List<(int Count, double RssMb)>();
            var sw = Stopwatch.StartNew();
            for (var i = 1; i <= o.Predictions; i++)
            {
                var depth = engine.Predict(new ImageRow { Image = images[i % images.Count] }).Depth;
                if (depth.Length != width * height)
                {
                    throw new InvalidOperationException($"Prediction {i} has {depth.Length} values.");
                }

                if (i % every == 0)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    using var process = Process.GetCurrentProcess();
                    samples.Add((i, process.WorkingSet64 / 1048576.0));
                }
            }

            images.ForEach(i => i.Dispose());
            string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
            var rows = samples.Select(s => new BenchRow($"resident memory after {s.Count:N0} predictions", F(s.RssMb, "F0") + " MB", string.Empty)).ToList();
            var warm = samples[Math.Min(1, samples.Count - 1)];
            rows.Add(new BenchRow($"growth {warm.Count:N0} -> {samples[^1].Count:N0}", F(100 * (samples[^1].RssMb - warm.RssMb) / warm.RssMb, "+0.0;-0.0") + " %",
                $"{o.Predictions:N0} predictions at {width}x{height} in {F(sw.Elapsed.TotalSeconds, "F0")} s ({F(sw.Elapsed.TotalMilliseconds / o.Predictions, "F1")} ms each)"));
            return rows;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class DepthRow
    {
        public float[] Depth { get; set; } = [];
    }
}
