using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Monodepth2.MLNet.Data;

/// <summary>Typed access to the columns a depth training run reads, with errors that name the column.</summary>
internal static class FrameColumns
{
    /// <summary>The column, or an error listing the columns there are.</summary>
    public static DataViewSchema.Column Require(DataViewSchema schema, string name, string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(
            nameof(schema), $"The {role} column '{name}' is not in the data. Columns: {string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}' ({c.Type})"))}.");
    }

    /// <summary>Checks that <paramref name="name"/> is an image column (ML.NET's LoadImages output).</summary>
    public static DataViewSchema.Column RequireImage(DataViewSchema schema, string name, string role = "image")
    {
        var column = Require(schema, name, role);
        return column.Type is ImageDataViewType
            ? column
            : throw new ArgumentOutOfRangeException(nameof(schema),
                $"The {role} column '{name}' holds {column.Type}, but an image is needed: load images first with mlContext.Transforms.LoadImages(...).");
    }

    /// <summary>Reads a text, integer, floating-point or boolean column as text.</summary>
    public static ValueGetter<string> TextGetter(DataViewRow row, DataViewSchema.Column column, string role)
    {
        switch (column.Type)
        {
            case TextDataViewType:
            {
                var g = row.GetGetter<ReadOnlyMemory<char>>(column);
                ReadOnlyMemory<char> v = default;
                return (ref string dst) => { g(ref v); dst = v.ToString(); };
            }

            case var t when t == NumberDataViewType.Int32: return Convert<int>(row, column);
            case var t when t == NumberDataViewType.Int64: return Convert<long>(row, column);
            case var t when t == NumberDataViewType.UInt32: return Convert<uint>(row, column);
            case var t when t == NumberDataViewType.Single: return Convert<float>(row, column);
            case var t when t == NumberDataViewType.Double: return Convert<double>(row, column);
            case BooleanDataViewType:
            {
                var g = row.GetGetter<bool>(column);
                var v = false;
                return (ref string dst) => { g(ref v); dst = v ? "true" : "false"; };
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(column), $"The {role} column '{column.Name}' holds {column.Type}; text or a number is needed.");
        }
    }

    /// <summary>Reads an integer-valued column (integer, floating point holding whole numbers, or text) as a long.</summary>
    public static Func<long> IntegerGetter(DataViewRow row, DataViewSchema.Column column, string role)
    {
        var text = TextGetter(row, column, role);
        string value = string.Empty;
        return () =>
        {
            text(ref value);
            return double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d)
                ? (long)d
                : throw new InvalidDataException($"The {role} column '{column.Name}' holds '{value}' where a whole number is needed.");
        };
    }

    /// <summary>Reads a vector of four floats (normalised fx, fy, cx, cy).</summary>
    public static Func<float[]> IntrinsicsGetter(DataViewRow row, DataViewSchema.Column column)
    {
        if (column.Type is not VectorDataViewType { ItemType: var item, Size: 4 } || item != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(nameof(column), $"The intrinsics column '{column.Name}' holds {column.Type}; a vector of 4 floats (normalised fx, fy, cx, cy) is needed.");
        }

        var g = row.GetGetter<VBuffer<float>>(column);
        VBuffer<float> v = default;
        return () =>
        {
            g(ref v);
            return v.DenseValues().ToArray();
        };
    }

    private static ValueGetter<string> Convert<T>(DataViewRow row, DataViewSchema.Column column)
        where T : IFormattable
    {
        var g = row.GetGetter<T>(column);
        T v = default!;
        return (ref string dst) =>
        {
            g(ref v);
            dst = v.ToString(null, System.Globalization.CultureInfo.InvariantCulture);
        };
    }
}
