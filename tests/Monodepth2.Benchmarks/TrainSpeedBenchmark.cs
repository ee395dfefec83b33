using System.Diagnostics;
using System.Globalization;
using Monodepth2.Data;
using Monodepth2.Data.Synthetic;
using Monodepth2.Networks;
using Monodepth2.Training;
using static TorchSharp.torch;

namespace Monodepth2.Benchmarks;

/// <summary>
/// Training throughput of the real <see cref="Trainer"/> on a synthetic world (frames at 640x192, resized as in real
/// training), per size and batch: images/s, the FLOPs of one training sample counted from the convolution and linear
/// layers that run (depth encoder and decoder, the pose encoder and decoder once per source frame), achieved GFLOP/s
/// against the machine's float32 matmul ceiling (measured before, between and after the runs; the highest is used),
/// and where a step's time goes.
/// </summary>
/// <remarks>
/// Backward is counted as twice the forward's multiply-adds (one product for the input gradients, one for the weight
/// gradients), so a training sample costs 3 x 2 x MACs FLOPs. Element-wise work (batch norm, activations, SSIM's
/// pooling, warping) is not counted.
/// </remarks>
internal static class TrainSpeedBenchmark
{
    public static IEnumerable<BenchRow> Run(BenchOptions o)
    {
        var root = Directory.CreateTempSubdirectory("md2-bench-train-").FullName;
        try
        {
            var world = new SyntheticWorldOptions { Sequences = 3, FramesPerSequence = 20, Seed = 5, TestSequences = 0, ValSequences = 0 };
            SyntheticDatasetWriter.Write(root, world);
            var entries = SplitFile.Read(Path.Combine(root, "splits", "train_files.txt"));
            // Mixed precision states its share against the bfloat16 matrix multiply too, read at the same moments.
            var mixed = o.TrainVariants.Contains("bfloat16");
            var ceilings = new List<double>();
            var bf16Ceilings = new List<double>();
            void ReadCeilings()
            {
                ceilings.Add(MatmulCeiling.Measure(o.MatmulSize));
                if (mixed)
                {
                    bf16Ceilings.Add(MatmulCeiling.Measure(o.MatmulSize, type: ScalarType.BFloat16));
                }
            }

            ReadCeilings();
            var results = new List<(int W, int H, int B, string Variant, Result R)>();
            foreach (var (w, h, b) in o.TrainSizes)
            {
                foreach (var variant in o.TrainVariants)
                {
                    bool? channelsLast = variant switch { "before" or "channels-first" => false, "channels-last" => true, _ => null };
                    var precision = variant == "bfloat16" ? TrainingPrecision.BFloat16 : TrainingPrecision.Float32;
                    results.Add((w, h, b, variant, Measure(root, entries, w, h, b, o.TrainSeconds, variant != "before", channelsLast, precision)));
                    ReadCeilings();
                }
            }

            var ceiling = ceilings.Max();
            string F(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
            var rows = new List<BenchRow>
            {
                new($"matmul {o.MatmulSize}x{o.MatmulSize} fp32 ceiling", F(ceiling, "F1") + " GFLOP/s",
                    $"highest of {ceilings.Count} measurements before, between and after the runs: {string.Join(", ", ceilings.Select(c => F(c, "F0")))}"),
            };
            var bf16Ceiling = mixed ? bf16Ceilings.Max() : double.NaN;
            if (mixed)
            {
                rows.Add(new($"matmul {o.MatmulSize}x{o.MatmulSize} bf16 ceiling", F(bf16Ceiling, "F1") + " GFLOP/s",
                    $"highest of {bf16Ceilings.Count}, read with the fp32 ones: {string.Join(", ", bf16Ceilings.Select(c => F(c, "F0")))}"));
            }

            foreach (var (w, h, b, variant, r) in results)
            {
                var size = $"{w}x{h} b{b} {variant}";
                var gflops = r.ImagesPerSecond * r.FlopsPerSample / 1e9;
                rows.Add(new($"{size}: images/s", F(r.ImagesPerSecond, "F2"), $"{r.Steps} steps in {F(r.Seconds, "F1")} s after {r.Warmup} warm-up steps, data loading included"));
                rows.Add(new($"{size}: training FLOPs per sample", F(r.FlopsPerSample / 1e9, "F2") + " G", $"3 x 2 x {F(r.MacsPerSample / 1e9, "F3")} G forward MACs (conv + linear)"));
                rows.Add(new($"{size}: achieved", F(gflops, "F1") + " GFLOP/s", $"{F(100 * gflops / ceiling, "F0")} % of the ceiling" +
                    (variant == "bfloat16" ? $", {F(100 * gflops / bf16Ceiling, "F0")} % of the bf16 ceiling" : string.Empty)));
                var total = r.Phases.Values.Sum(t => t.TotalMilliseconds);
                foreach (var phase in StepPhases.Order)
                {
                    var ms = r.Phases.GetValueOrDefault(phase).TotalMilliseconds / r.Steps;
                    rows.Add(new($"{size}: {phase}", F(ms, "F0") + " ms/step", F(100 * ms * r.Steps / total, "F0") + " %"));
                }
            }

            return rows;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed record Result(double ImagesPerSecond, double MacsPerSample, double FlopsPerSample, int Warmup, long Steps, double Seconds, IReadOnlyDictionary<string, TimeSpan> Phases);

    /// <summary>
    /// One size, "before" (TorchSharp's Adam, every frame decoded and resized in every sample, channels-first inputs: the
    /// trainer as it was on 2026-12-02) or today's trainer (<c>FusedAdam</c>, the frame cache), with the memory layout
    /// it chooses (<paramref name="channelsLast"/> null) or a forced one.
    /// </summary>
    private static Result Measure(string root, IReadOnlyList<SplitEntry> entries, int width, int height, int batch, double seconds, bool improved, bool? channelsLast, TrainingPrecision precision)
    {
        var options = new TrainingOptions
        {
            Width = width, Height = height, BatchSize = batch, WeightsInit = WeightsInit.Scratch, Workers = Environment.ProcessorCount, Epochs = 100000,
            LogFrequency = 1, TensorBoard = false, SaveFrequency = 100000, Seed = 3, FrameCacheMegabytes = improved ? 1024 : 0,
            Precision = precision,
        };
        var macs = CountMacsPerSample(root, entries, options);

        // One trainer: two warm-up steps, which also size the measured run to about `seconds`, then the measured steps.
        const int warmup = 2;
        var run = Path.Combine(root, $"run-{width}x{height}-{(improved ? "after" : "before")}-{channelsLast}-{precision}");
        using var trainer = new Trainer(options, d => new KittiRawDataset(root, entries, d), run) { FusedOptimizer = improved };
        trainer.ChannelsLast = channelsLast ?? trainer.ChannelsLast;
        var phases = new StepPhases();
        trainer.Phases = phases;
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        long steps = 0, last = long.MaxValue;
        trainer.Train(new SyncProgress<TrainingProgress>(p =>
        {
            if (p.Step == warmup)
            {
                steps = (long)Math.Clamp(Math.Ceiling(seconds / (clock.Elapsed.TotalSeconds / warmup)), 3, 200);
                last = warmup + steps;
                phases.Reset();
            }
            else if (p.Step >= last)
            {
                stop.Cancel();
            }
        }), stop.Token);

        // The loop's own time: the checkpoint written when training stops is not part of training speed.
        var elapsed = phases.Totals.Values.Sum(t => t.TotalSeconds);
        return new Result(steps * batch / elapsed, macs, 6.0 * macs, warmup, steps, elapsed, new Dictionary<string, TimeSpan>(phases.Totals));
    }

    /// <summary>Multiply-adds of one training sample's forward pass, counted on one batch of the real objective.</summary>
    private static double CountMacsPerSample(string root, IReadOnlyList<SplitEntry> entries, TrainingOptions options)
    {
        using var networks = new MonodepthNetworks(options.Networks, withPose: options.HasPoseNetwork);
        var dataset = new KittiRawDataset(root, entries, options.Data);
        var loader = new BatchLoader(dataset, options.BatchSize, seed: options.Seed);
        using var batch = loader.Epoch(0).First();
        var objective = new BatchObjective(networks, options.Loss, options.FrameIds);
        var macs = MacCounter.Count(networks.NamedModules.Select(m => m.Module), () =>
        {
            using var scope = NewDisposeScope();
            objective.Compute(batch);
        });
        return (double)macs / options.BatchSize;
    }
}
