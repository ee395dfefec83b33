using static TorchSharp.torch;

namespace Monodepth2.Benchmarks;

/// <summary>
/// The machine's float32 matrix-multiply rate, the ceiling every benchmark states its share against. It drifts by up to
/// 2x within minutes on a shared machine, so suites read it more than once (before and after their runs) and divide by
/// the highest reading.
/// </summary>
internal static class MatmulCeiling
{
    /// <summary>GFLOP/s of the median of <paramref name="runs"/> n x n torch.mm after 2 warm-up runs (2 n^3 FLOPs each), in float32 or another type (bfloat16 for mixed precision).</summary>
    public static double Measure(int n, int runs = 10, ScalarType type = ScalarType.Float32)
    {
        using var a = rand(n, n, dtype: type);
        using var b = rand(n, n, dtype: type);
        var ms = ForwardBenchmark.TimeMs(() => a.mm(b).Dispose(), 2, runs);
        return 2.0 * n * n * n / (ms.Median / 1e3) / 1e9;
    }
}
