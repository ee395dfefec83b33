using System.Globalization;

namespace Monodepth2.Benchmarks;

/// <summary>Command-line settings of the benchmark runner.</summary>
internal sealed record BenchOptions(IReadOnlySet<string> Suites, int Warmup, int Iterations, int Width, int Height, int MatmulSize, int MemorySteps, int Predictions,
    IReadOnlyList<(int Width, int Height, int Batch)> TrainSizes, double TrainSeconds, bool ChannelsLast)
{
    public const string Usage =
        "usage: dotnet run -c Release --project tests/Monodepth2.Benchmarks -- [forward] [memory] [scoring] [engine-memory] [train-speed] [--warmup N] [--iterations N] " +
        "[--width W] [--height H] [--matmul N] [--memory-steps N] [--predictions N] [--train-size WxHxB ...] [--train-seconds S] [--channels-last]";

    public static BenchOptions? Parse(string[] args)
    {
        var suites = new HashSet<string>();
        int warmup = 3, iterations = 20, width = 640, height = 192, matmul = 2048, memorySteps = 200, predictions = 10000, trainSeconds = 60;
        var trainSizes = new List<(int, int, int)>();
        var channelsLast = false;
        for (var i = 0; i < args.Length; i++)
        {
            int Next() => i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new ArgumentException($"{args[i - 1]} needs a positive integer.");
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
                case "--channels-last": channelsLast = true; break;
                case "--train-size":
                    var parts = i + 1 < args.Length ? args[++i].Split('x') : [];
                    if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0))
                    {
                        throw new ArgumentException("--train-size needs WIDTHxHEIGHTxBATCH, e.g. 192x64x4.");
                    }

                    trainSizes.Add((int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture)));
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

        return new BenchOptions(suites, warmup, iterations, width, height, matmul, memorySteps, predictions, trainSizes, trainSeconds, channelsLast);
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
