using System.Diagnostics;
using System.Globalization;
using Monodepth2.Networks;
using static TorchSharp.torch;

namespace Monodepth2.Benchmarks;

/// <summary>Depth-network forward pass on CPU against the machine's measured float32 matrix-multiply rate.</summary>
internal static class ForwardBenchmark
{
    public static IEnumerable<BenchRow> Run(BenchOptions o)
    {
        using var encoder = new ResnetEncoder(18, 1);
        using var decoder = new DepthDecoder(encoder.NumChannels);
        encoder.eval();
        decoder.eval();
        using var noGrad = no_grad();
        using var input = rand(1, 3, o.Height, o.Width);

        void Forward()
        {
            using var scope = NewDisposeScope();
            decoder.call(encoder.call(input));
        }

        var macs = MacCounter.Count([encoder, decoder], Forward);
        var forwardMs = TimeMs(Forward, o.Warmup, o.Iterations);
        var forwardGflops = 2.0 * macs / (forwardMs.Median / 1e3) / 1e9;

        var n = o.MatmulSize;
        var ceiling = MatmulCeiling.Measure(n, Math.Max(5, o.Iterations / 2));

        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        return
        [
            new("depth net MACs (conv + linear)", F(macs / 1e9, "F3") + " G", $"ResNet-18 encoder + decoder, {o.Width}x{o.Height}, batch 1"),
            new("forward ms/image (median)", F(forwardMs.Median, "F1"), $"min {F(forwardMs.Min, "F1")}, max {F(forwardMs.Max, "F1")}, {o.Iterations} runs after {o.Warmup} warm-up"),
            new("forward GFLOP/s (2 x MACs / time)", F(forwardGflops, "F1"), string.Empty),
            new($"matmul {n}x{n} fp32 GFLOP/s (ceiling)", F(ceiling, "F1"), $"median of {Math.Max(5, o.Iterations / 2)} torch.mm"),
            new("forward / ceiling", F(100 * forwardGflops / ceiling, "F0") + " %", "share of the machine's measured matmul rate"),
        ];
    }

    internal static (double Median, double Min, double Max) TimeMs(Action action, int warmup, int iterations)
    {
        for (var i = 0; i < warmup; i++)
        {
            action();
        }

        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return (times[iterations / 2], times[0], times[^1]);
    }
}
