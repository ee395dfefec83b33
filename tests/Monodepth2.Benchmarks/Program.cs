using System.Diagnostics;
using System.Globalization;
using Monodepth2;
using Monodepth2.Benchmarks;

TorchRuntime.EnsureLoaded();
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

Console.WriteLine($"Monodepth2.MLNet benchmarks: {Environment.ProcessorCount} logical cores, TorchSharp threads {TorchSharp.torch.get_num_threads()}, " +
                  $"{DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture)}");
var stopwatch = Stopwatch.StartNew();
var rows = new List<BenchRow>();
if (options.Suites.Contains("forward"))
{
    rows.AddRange(ForwardBenchmark.Run(options));
}

if (options.Suites.Contains("memory"))
{
    rows.AddRange(TrainingMemoryBenchmark.Run(options));
}

if (options.Suites.Contains("scoring"))
{
    rows.AddRange(ScoringBenchmark.Run(options));
}

if (options.Suites.Contains("train-speed"))
{
    rows.AddRange(TrainSpeedBenchmark.Run(options));
}

if (options.Suites.Contains("engine-memory"))
{
    rows.AddRange(PredictionEngineMemoryBenchmark.Run(options));
}

Table.Print(rows);
Console.WriteLine($"(total {stopwatch.Elapsed.TotalSeconds:F0} s)");
return 0;
