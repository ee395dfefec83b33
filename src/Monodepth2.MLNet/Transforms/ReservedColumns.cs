namespace Monodepth2.MLNet.Transforms;

/// <summary>Column names the stock pipeline uses internally (the exported ONNX graph's input and output names).</summary>
internal static class ReservedColumns
{
    /// <summary>Prefix of temporary columns (resized images), dropped at the end of the pipeline.</summary>
    public const string TempPrefix = "__md2_";

    /// <summary>Throws when a user column would collide with an internal one.</summary>
    public static void Check(string column, string role, params string[] reserved)
    {
        if (column.StartsWith(TempPrefix, StringComparison.Ordinal) || reserved.Contains(column, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The {role} column name '{column}' is used inside the pipeline ({string.Join(", ", reserved.Select(r => $"'{r}'"))} and names starting with '{TempPrefix}'); rename the column.",
                nameof(column));
        }
    }
}
