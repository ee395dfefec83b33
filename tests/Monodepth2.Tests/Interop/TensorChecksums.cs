using System.Globalization;
using System.Text.Json;
using static TorchSharp.torch;

namespace Monodepth2.Tests.Interop;

/// <summary>
/// The checksums <c>oracle_common.tensor_summary</c> prints, computed here from TorchSharp tensors, and their comparison:
/// shape, dtype, float64 sum, sum of absolute values and a position-weighted sum (weights 1..97 repeating), which
/// changes when values are permuted or transposed.
/// </summary>
internal static class TensorChecksums
{
    public const double RelativeTolerance = 1e-6;

    public static (double Sum, double AbsSum, double WeightedSum) Of(Tensor t)
    {
        using var scope = NewDisposeScope();
        var flat = t.detach().cpu().reshape(-1).to(ScalarType.Float64);
        var weights = (arange(flat.numel(), dtype: ScalarType.Int64) % 97 + 1).to(ScalarType.Float64);
        return (flat.sum().item<double>(), flat.abs().sum().item<double>(), (flat * weights).sum().item<double>());
    }

    public static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float64 => "float64",
        ScalarType.Int64 => "int64",
        ScalarType.Int32 => "int32",
        ScalarType.Bool => "bool",
        _ => type.ToString(),
    };

    public static long[] Shape(JsonElement summary) => summary.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();

    /// <summary>Asserts that what Python printed for a tensor matches <paramref name="expected"/>.</summary>
    /// <param name="summary">A JSON object with shape, dtype, sum, abs_sum and weighted_sum.</param>
    /// <param name="expected">The tensor it should describe.</param>
    /// <param name="what">Names the tensor in failure messages.</param>
    /// <param name="compareShapeExactly">False where PyBridge's reading of a 0-d tensor as [1] is acceptable.</param>
    public static void AssertMatches(JsonElement summary, Tensor expected, string what, bool compareShapeExactly = true)
    {
        var shape = Shape(summary);
        var shapeOk = shape.SequenceEqual(expected.shape) || (!compareShapeExactly && shape.Aggregate(1L, (a, b) => a * b) == expected.numel() && expected.numel() == 1);
        Assert.True(shapeOk, $"{what}: PyTorch sees shape [{string.Join(", ", shape)}], expected [{string.Join(", ", expected.shape)}]");
        Assert.Equal(DTypeName(expected.dtype), summary.GetProperty("dtype").GetString());
        var (sum, absSum, weighted) = Of(expected);
        AssertClose(sum, summary.GetProperty("sum").GetDouble(), absSum, what + " sum");
        AssertClose(absSum, summary.GetProperty("abs_sum").GetDouble(), absSum, what + " sum of absolute values");
        AssertClose(weighted, summary.GetProperty("weighted_sum").GetDouble(), absSum * 97, what + " position-weighted sum");
    }

    private static void AssertClose(double expected, double actual, double scale, string what) =>
        Assert.True(
            Math.Abs(expected - actual) <= RelativeTolerance * scale,
            string.Create(CultureInfo.InvariantCulture, $"{what}: PyTorch {actual:R}, here {expected:R} (tolerance {RelativeTolerance * scale:G3})"));
}
