using System.Globalization;

namespace Monodepth2.Benchmarks;

/// <summary>Command-line settings of the benchmark runner.</summary>
internal sealed record BenchOptions(IReadOnlySet<string> Suites, int Warmup, int Iterations, int Width, int Height, int MatmulSize, int MemorySteps, int Predictions,
    IReadOnlyList<(int Width, int Height, int Batch)> TrainSizes, double TrainSeconds, IReadOnlyList<string> TrainVariants, (int Width, int Height, int Batch) MemorySize,
    Monodepth2.Training.TrainingPrecision MemoryPrecision)
{
    public const string Usage =
        "usage: dotnet run -c Release --project tests/Monodepth2.Benchmarks -- [forward] [memory] [scoring] [engine-memory] [train-speed] [--warmup N] [--iterations N] " +
        "[--width W] [--height H] [--matmul N] [--memory-steps N] [--memory-size WxHxB] [--memory-precision Float32|BFloat16] [--predictions N] [--train-size WxHxB ...] [--train-seconds S] [--variants before,after,channels-first,channels-last,bfloat16]";

    /// <summary>The train-speed variants: the trainer of 2026-12-02, today's, and today's with each memory layout forced.</summary>
    public static readonly IReadOnlyList<string> TrainVariantNames = ["before", "after", "channels-first", "channels-last", "bfloat16"];

    public static BenchOptions? Parse(string[] args)
    {
        var suites = new HashSet<string>();
        int warmup = 3, iterations = 20, width = 640, height = 192, matmul = 2048, memorySteps = 200, predictions = 10000, trainSeconds = 60;
        var trainSizes = new List<(int, int, int)>();
        var variants = new List<string>();
        var memorySize = (192, 64, 4);
        var memoryPrecision = Monodepth2.Training.TrainingPrecision.Float32;
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new ArgumentException($"{args[i - 1]} needs a positive integer.");
            (int, int, int) NextSize()
            {
                var parts = i + 1 < args.Length ? args[++i].Split('x') : [];
                return parts.Length == 3 && parts.All(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0)
                    ? (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture))
                    : throw new ArgumentException($"{args[i - 1]} needs WIDTHxHEIGHTxBATCH, e.g. 192x64x4.");
            }

            switch (args[i])
            {
                case "--warmup": warmup = Next(); break;
                case "--iterations": iterations = Next(); break;
                case "--width": width = Next(); break;
                case "--height": height = Next(); break;
                case "--matmul": matmul = Next(); break;
                case "--memory-steps": memorySteps = Next(); break;
                case "--predictions": predictions = Next(); break;
                case "--train-seconds": trainSeconds = Next(); break;
                case "--variants":
                    var names = i + 1 < args.Length ? args[++i].Split(',') : [];
                    if (names.Length == 0 || names.Any(n => !TrainVariantNames.Contains(n)))
                    {
                        throw new ArgumentException($"--variants needs a comma list of {string.Join(", ", TrainVariantNames)}.");
                    }

                    variants.AddRange(names);
                    break;
                case "--train-size": trainSizes.Add(NextSize()); break;
                case "--memory-size": memorySize = NextSize(); break;
                case "--memory-precision":
                    memoryPrecision = i + 1 < args.Length && Enum.TryParse<Monodepth2.Training.TrainingPrecision>(args[++i], ignoreCase: true, out var p)
                        ? p
                        : throw new ArgumentException("--memory-precision needs Float32, BFloat16 or Auto.");
                    break;
                case "forward" or "memory" or "scoring" or "engine-memory" or "train-speed": suites.Add(args[i]); break;
                default: return null;
            }
        }

        if (suites.Count == 0)
        {
            suites.Add("forward");
        }

        if (trainSizes.Count == 0)
        {
            trainSizes.AddRange([(192, 64, 4), (640, 192, 12)]);
        }

        if (variants.Count == 0)
        {
            variants.AddRange(["before", "after"]);
        }

        return new BenchOptions(suites, warmup, iterations, width, height, matmul, memorySteps, predictions, trainSizes, trainSeconds, variants, memorySize, memoryPrecision);
    }
}

/// <summary>One line of the result table.</summary>
internal sealed record BenchRow(string Name, string Value, string Note);

/// <summary>Prints rows as a Markdown table.</summary>
internal static class Table
{
    public static void Print(IReadOnlyList<BenchRow> rows)
    {
        var w0 = Math.Max(7, rows.Max(r => r.Name.Length));
        var w1 = Math.Max(5, rows.Max(r => r.Value.Length));
        Console.WriteLine($"| {"measure".PadRight(w0)} | {"value".PadLeft(w1)} | note");
        Console.WriteLine($"|{new string('-', w0 + 2)}|{new string('-', w1 + 1)}:|------");
        foreach (var r in rows)
        {
            Console.WriteLine($"| {r.Name.PadRight(w0)} | {r.Value.PadLeft(w1)} | {r.Note}");
        }
    }
}
