using System.Diagnostics;
using System.Globalization;
using Monodepth2.Data;
using Monodepth2.Data.Synthetic;
using Monodepth2.Training;

namespace Monodepth2.Benchmarks;

/// <summary>
/// Resident memory over a long training run (synthetic street world, 192x64 batch 4 unless <c>--memory-size</c> says
/// otherwise; 192x64 batch 12 trains channels-last): shows that every step's native tensors are released (dispose
/// scopes), i.e. memory stays flat after warm-up.
/// </summary>
internal static class TrainingMemoryBenchmark
{
    public static IEnumerable<BenchRow> Run(BenchOptions o)
    {
        var root = Directory.CreateTempSubdirectory("md2-bench-mem-").FullName;
        try
        {
            var (width, height, batch) = o.MemorySize;
            var world = new SyntheticWorldOptions { Width = width, Height = height, Sequences = 4, FramesPerSequence = 40, Seed = 2 };
            SyntheticDatasetWriter.Write(root, world);
            var entries = SplitFile.Read(Path.Combine(root, "splits", "train_files.txt"));
            var every = Math.Max(1, o.MemorySteps / 10);
            var options = new TrainingOptions
            {
                Width = width, Height = height, BatchSize = batch, WeightsInit = WeightsInit.Scratch, Workers = 2, Epochs = 1000,
                MaxSteps = o.MemorySteps, LogFrequency = every, TensorBoard = false, Precision = o.MemoryPrecision,
                SaveFrequency = 100000,   // one checkpoint at the end: per-epoch checkpoints of 280 MB (x2 with weights_last) would fill the disk
            };
            var samples = new List<(long Step, double RssMb, double Loss)>();
            using var trainer = new Trainer(options, d => new KittiRawDataset(root, entries, d), Path.Combine(root, "run"));
            var result = trainer.Train(new SyncProgress<TrainingProgress>(p =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                using var process = Process.GetCurrentProcess();
                samples.Add((p.Step, process.WorkingSet64 / 1048576.0, p.Loss));
            }));

            string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
            var rows = new List<BenchRow> { new("size", $"{width}x{height} b{batch}", (trainer.ChannelsLast ? "channels-last inputs" : "channels-first inputs") + $", computing in {trainer.ComputeType}") };
            rows.AddRange(samples.Select(s => new BenchRow($"resident memory at step {s.Step}", F(s.RssMb, "F0") + " MB", $"loss {F(s.Loss, "F4")}")));
            // Compare the second sample (after warm-up: allocator pools, first checkpoint-free steps) with the last.
            var warm = samples[Math.Min(1, samples.Count - 1)];
            var end = samples[^1];
            rows.Add(new BenchRow($"growth step {warm.Step} -> {end.Step}", F(100 * (end.RssMb - warm.RssMb) / warm.RssMb, "+0.0;-0.0") + " %",
                $"{result.Steps} steps in {F(result.Elapsed.TotalSeconds, "F0")} s"));
            return rows;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
