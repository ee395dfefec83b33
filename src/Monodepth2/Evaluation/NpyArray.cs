namespace Monodepth2.Evaluation;

/// <summary>Element type of an <see cref="NpyArray"/>: the little-endian floating-point types NumPy writes most.</summary>
public enum NpyDType
{
    /// <summary>32-bit float, <c>'&lt;f4'</c>.</summary>
    Float32,

    /// <summary>64-bit float, <c>'&lt;f8'</c>.</summary>
    Float64,
}

/// <summary>
/// An n-dimensional array in C (row-major) order, as read from or written to a NumPy <c>.npy</c> file. Exactly one of
/// <see cref="Float32"/> and <see cref="Float64"/> holds the values, according to <see cref="DType"/>.
/// </summary>
public sealed class NpyArray
{
    private NpyArray(long[] shape, NpyDType dtype, float[]? f32, double[]? f64)
    {
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Dimensions must be non-negative (shape ({string.Join(", ", shape)})).", nameof(shape));
            }
        }

        var count = shape.Aggregate(1L, (a, b) => a * b);
        var length = f32?.LongLength ?? f64!.LongLength;
        if (count != length)
        {
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) holds {count} values but {length} were given.");
        }

        Shape = shape;
        DType = dtype;
        Float32 = f32;
        Float64 = f64;
    }

    /// <summary>Wraps float32 values (not copied) with a shape.</summary>
    public static NpyArray FromFloat32(float[] values, params long[] shape) => new(shape, NpyDType.Float32, values, null);

    /// <summary>Wraps float64 values (not copied) with a shape.</summary>
    public static NpyArray FromFloat64(double[] values, params long[] shape) => new(shape, NpyDType.Float64, null, values);

    /// <summary>Dimensions, outermost first.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Element type.</summary>
    public NpyDType DType { get; }

    /// <summary>The values when <see cref="DType"/> is <see cref="NpyDType.Float32"/>, else null.</summary>
    public float[]? Float32 { get; }

    /// <summary>The values when <see cref="DType"/> is <see cref="NpyDType.Float64"/>, else null.</summary>
    public double[]? Float64 { get; }

    /// <summary>Number of elements.</summary>
    public long Length => Float32?.LongLength ?? Float64!.LongLength;

    /// <summary>The values as float32 (the stored array itself when already float32, else a converted copy).</summary>
    public float[] ToFloat32() => Float32 ?? Array.ConvertAll(Float64!, v => (float)v);

    /// <summary>The values as float64 (a copy).</summary>
    public double[] ToFloat64() => Float64 is { } d ? (double[])d.Clone() : Array.ConvertAll(Float32!, v => (double)v);

    /// <summary>The shape as NumPy prints it, e.g. <c>(2, 3)</c> or <c>(5,)</c>.</summary>
    public string ShapeText => NpyFile.ShapeRepr(Shape);
}
